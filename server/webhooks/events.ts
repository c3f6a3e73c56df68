// What a webhook receiver gets (Standard Webhooks payload: {type, timestamp, data}); README "Webhooks".
// Tokens, addresses and browsers never go out: only ids, phases, hashes and the names shown in the room.
import type { Phase, Role } from '../../shared/protocol/room.ts'

/** Every event type a receiver may see. 'followup.recorded' is declared for the follow-ups to come: nothing sends it yet. */
export const WEBHOOK_EVENT_TYPES = ['room.created', 'room.confirmed', 'room.locked', 'room.amended', 'room.rated', 'followup.recorded'] as const

export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number]

/** What every event's data carries: the room, where in its log the event sits, and the phase after it. */
export interface WebhookRoomRef {
  roomId: string
  /** The event's seq and hash in the room's hash-chained log (GET /api/rooms/:id/archive). */
  seq: number
  eventHash: string
  phase: Phase
}

export interface Party {
  role: Role
  name: string
  /** The staff member in the lender's seat (POST /api/rooms/:id/seat), when a signed-in person took it. */
  staffId?: string
  orgId?: string
}

export interface RoomCreatedData extends WebhookRoomRef {
  title: string
  currency: string
  parties: Party[]
  lenderInstitution?: string
  /** The locked room whose agreement this room amends. */
  amendmentOf?: string
}

export interface RoomConfirmedData extends WebhookRoomRef {
  role: 'borrower' | 'lender'
  name: string
  /** The full name typed to confirm. */
  fullName: string
  /** The content hash this side confirmed. */
  contentHash: string
  /** The staff member who confirmed for the lender, when one took the seat. */
  staffId?: string
  orgId?: string
}

export interface RoomLockedData extends WebhookRoomRef {
  contentHash: string
  /** Hash of the signed agreement (GET /api/rooms/:id/agreement). */
  agreementHash: string
  /** Who signed, as named on the agreement. */
  parties: Party[]
}

export interface RoomAmendedData extends WebhookRoomRef {
  /** The new room that amends this room's agreement. */
  amendmentRoomId: string
  role: string
  name: string
}

export interface RoomRatedData extends WebhookRoomRef {
  role: 'borrower' | 'lender'
  name: string
  /** 1..5. The free-text comment stays in the room. */
  stars: number
}

export interface WebhookDataByType {
  'room.created': RoomCreatedData
  'room.confirmed': RoomConfirmedData
  'room.locked': RoomLockedData
  'room.amended': RoomAmendedData
  'room.rated': RoomRatedData
  'followup.recorded': WebhookRoomRef & Record<string, unknown>
}

/** The body of one delivery; `timestamp` is when the event happened (ISO 8601), not when it is sent. */
export type WebhookBody = {
  [T in WebhookEventType]: { type: T; timestamp: string; data: WebhookDataByType[T] }
}[WebhookEventType]

/** An admin's view of one outbox row (GET /api/webhooks/deliveries). */
export interface WebhookDelivery {
  id: string
  roomId: string
  seq: number
  type: WebhookEventType
  status: 'pending' | 'delivered' | 'failed'
  attempts: number
  createdAt: number
  nextAttemptAt: number | null
  deliveredAt: number | null
  lastError: string | null
  /** HTTP status of the last attempt (null: no answer). */
  lastStatus: number | null
}

export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number]

/** GET /api/webhooks/deliveries: newest first; `enabled` is false when WEBHOOK_URL is unset (nothing is written then). */
export interface WebhookDeliveryList {
  enabled: boolean
  deliveries: WebhookDelivery[]
}
