// Storage behind one interface: SQLite (default) and PostgreSQL (DATABASE_URL), hence Promises everywhere.
// The event log is append-only and hash-chained; snapshots are only a load cache.
import { fromBase64, toBase64 } from 'lib0/buffer'
import type { ArchiveEvent, EventType } from '../../shared/protocol/eventLog.ts'
import type { Actor, ActorRole, ObserverLabel, Phase, Role } from '../../shared/protocol/room.ts'
import type { Terms } from '../../shared/terms/types.ts'
import type { DeliveryStatus, WebhookDelivery } from '../webhooks/events.ts'
import type { OrgStore } from './OrgStore.ts'

export type JsonPayload = Record<string, unknown>

export interface NewEvent {
  actor: Actor
  type: EventType
  /** Yjs update bytes for 'update', a JSON object otherwise. */
  payload: Uint8Array | JsonPayload
  /** 'chat' only: idempotency key, unique per room. */
  clientId?: string
}

export interface StoredEvent {
  roomId: string
  seq: number
  ts: number
  actor: Actor
  type: EventType
  payload: Uint8Array | JsonPayload
  prevHash: string
  hash: string
}

export interface AppendResult {
  event: StoredEvent
  /** A chat event whose clientId was already stored: `event` is the earlier one, nothing was written. */
  duplicate: boolean
}

export interface AppendOptions {
  /** Set after the events, in the same transaction (the lock). phase 'locked' is refused if the room is already locked. */
  phase?: Phase
  agreementHash?: string
  /** Refuse unless the room's log ends at this seq (the caller decided on exactly that state). */
  ifLastSeq?: number
  /**
   * Refuse if the log holds a change of what is agreed (CHANGE_TYPES) after this seq: the caller
   * decided on the state up to it, and other events (chat, presence) may have come in since.
   * This is how a process locks while others append to the same room.
   */
  ifNoChangeAfter?: number
}

/** Events that change the content or the standing confirmations, or freeze them (what a lock decision rests on). */
export const CHANGE_TYPES = ['update', 'confirm', 'withdraw', 'cleared', 'lock', 'paused'] as const

/** The store refused the append by its rules (not a database failure): the room moved on elsewhere. */
export class AppendRefusedError extends Error {
  override readonly name = 'AppendRefusedError'
}

export interface InviteRecord {
  role: Role
  name: string
  label?: ObserverLabel
}

export interface RoomMeta {
  original?: Terms
  invites: InviteRecord[]
  /** The lending institution (POST /api/rooms `lenderInstitution`), named on the agreement. */
  lenderInstitution?: string
  /** The locked room whose agreement this room amends (POST /api/rooms/:id/amend). */
  amendmentOf?: string
  /** The lender organisation the room belongs to (a room made with the operator key belongs to none). */
  orgId?: string
  /** Who opened the room for the organisation. */
  createdBy?: RoomCreator
  /** Staff members the room is assigned to besides its creator (reassignment by supervisors is still to come). */
  assignedTo?: string[]
}

export interface RoomCreator {
  kind: 'staff' | 'apiKey'
  id: string
  name: string
}

export interface NewRoom {
  id: string
  title: string
  currency: string
  meta: RoomMeta
}

export interface RoomRecord extends NewRoom {
  phase: Phase
  createdAt: number
  lastActivity: number
  lastSeq: number
  lastHash: string
  agreementHash?: string
}

export interface Snapshot {
  /** The state includes every update with seq ≤ this. */
  seq: number
  state: Uint8Array
  /** Yjs clientID → the role that owns it (a client id is bound to the first role that wrote with it). */
  owners: Record<string, ActorRole>
}

export interface PresenceRecord {
  role: ActorRole
  name: string
  /** The last join is not followed by a leave (the server stopped while they were connected). */
  dangling: boolean
}

export interface LoadedRoom {
  record: RoomRecord
  snapshot: Snapshot | null
  /** 'update' events after the snapshot, in seq order, with their actors (for client id ownership). */
  updates: StoredEvent[]
  /** The last chat messages and system events (types of EVENT_LINE_TYPES), each newest-limited, in seq order. */
  recentChat: StoredEvent[]
  recentSystem: StoredEvent[]
  /** Everyone who ever joined. */
  presence: PresenceRecord[]
}

/**
 * Per role, the generation an invite token must carry at least (its `gen` claim, 0 when absent): revoking a role's
 * invites raises it by one, so every token issued before no longer opens the room (POST /api/rooms/:id/invites/revoke).
 */
export type InviteGenerations = Record<Role, number>

export const NO_REVOCATIONS: Readonly<InviteGenerations> = { borrower: 0, lender: 0, observer: 0 }

export interface EventRange {
  fromSeq?: number
  toSeq?: number
}

/** An outbox message taken for one delivery attempt (WebhookOutbox.claim). */
export interface ClaimedMessage {
  id: string
  roomId: string
  seq: number
  body: string
  /** Attempts so far, this one included. */
  attempts: number
  /** Start of the retry window (the event, or an admin's redelivery). */
  retryFrom: number
}

/** What one attempt came to: delivered, tried again at `nextAt`, or parked as failed. */
export type DeliveryOutcome =
  | { status: 'delivered'; at: number; httpStatus: number }
  | { status: 'retry'; nextAt: number; error: string; httpStatus: number | null }
  | { status: 'failed'; error: string; httpStatus: number | null }

/**
 * The webhook outbox (server/webhooks). Rows are written by append/createRoom, in the same transaction
 * as their events, when the store was opened with webhooks on; this is how they are delivered.
 */
export interface WebhookOutbox {
  /**
   * Takes up to `limit` due rows for `leaseMs`: per room only its earliest pending row (a room's events
   * go out in order), and none another claimer holds. A claim whose lease ran out (its process died) is
   * taken again. Counts the attempt.
   */
  claim(worker: string, now: number, leaseMs: number, limit: number): Promise<ClaimedMessage[]>
  /** Records an attempt's outcome; a retry or failure only while `worker` still holds the claim. */
  settle(id: string, worker: string, outcome: DeliveryOutcome): Promise<void>
  /** Newest first. */
  list(status: DeliveryStatus | undefined, limit: number): Promise<WebhookDelivery[]>
  /** Makes a row pending and due now, with a fresh retry window; null: no such row. */
  redeliver(id: string, now: number): Promise<WebhookDelivery | null>
}

export interface Store {
  /** Webhook deliveries, written with the events that cause them (empty unless opened with webhooks on). */
  readonly outbox: WebhookOutbox
  /** Lender organisations, staff, staff sessions and API keys (server/org). */
  readonly orgs: OrgStore
  /** Creates the room and writes its first events (seq 1..n) in one transaction. */
  createRoom(room: NewRoom, events: NewEvent[]): Promise<RoomRecord>
  getRoom(id: string): Promise<RoomRecord | null>
  listRooms(): Promise<RoomRecord[]>
  loadRoom(id: string, historyLimit: number): Promise<LoadedRoom | null>
  /**
   * Appends durably (committed when the promise resolves), assigning seq, ts, prevHash, hash.
   * Calls for one room are applied in call order. Once an append of a room fails, every later
   * append of that room fails too until loadRoom is called for it (no gaps in the log).
   * An 'update' event of a locked room is refused (after the lock the content never changes).
   */
  append(roomId: string, events: NewEvent[], options?: AppendOptions): Promise<AppendResult[]>
  /**
   * Takes appends of the room again after one was refused by the store's rules (AppendRefusedError): the
   * caller has put its state back in line with the log. (A database failure still needs loadRoom.)
   */
  resume(roomId: string): Promise<void>
  saveSnapshot(roomId: string, snapshot: Snapshot): Promise<void>
  readEvents(roomId: string, range?: EventRange): Promise<StoredEvent[]>
  /**
   * Every event of one JSON-payload type (not 'update'), in seq order: e.g. the room's
   * 'attachment' events, so a loaded room knows all its evidence without reading the whole log.
   */
  readEventsOfType(roomId: string, type: Exclude<EventType, 'update'>): Promise<StoredEvent[]>
  /**
   * Revokes every invite of these roles issued so far: each role's generation goes up by one, atomically (two
   * revocations at once from two processes give two steps). Answers the room's generations after it; null: no such room.
   */
  revokeInvites(roomId: string, roles: readonly Role[]): Promise<InviteGenerations | null>
  /** The room's invite generations (NO_REVOCATIONS for a room never revoked, or none at all). */
  inviteGenerations(roomId: string): Promise<InviteGenerations>
  close(): Promise<void>
}

/** The archive form of an event (bytes as base64). */
export function toArchiveEvent(e: StoredEvent): ArchiveEvent {
  return {
    seq: e.seq,
    ts: e.ts,
    actor: e.actor,
    type: e.type,
    payload: e.payload instanceof Uint8Array ? toBase64(e.payload) : e.payload,
    prevHash: e.prevHash,
    hash: e.hash,
  }
}

/** The stored form of an archive event (another process published it so): the inverse of toArchiveEvent. */
export function fromArchiveEvent(roomId: string, e: ArchiveEvent): StoredEvent {
  const payload = e.type === 'update' && typeof e.payload === 'string' ? fromBase64(e.payload) : (e.payload as JsonPayload)
  return { roomId, seq: e.seq, ts: e.ts, actor: e.actor, type: e.type as EventType, payload, prevHash: e.prevHash, hash: e.hash }
}
