// The webhook_outbox table's rows as both stores read them (PostgreSQL answers bigint as text).
import type { WebhookDelivery, WebhookEventType } from '../webhooks/events.ts'
import type { ClaimedMessage } from './Store.ts'

type Int = number | string
const n = (v: Int | null): number | null => (v === null ? null : Number(v))

export interface OutboxRow {
  id: string
  room_id: string
  seq: Int
  type: string
  body: string
  status: string
  attempts: Int
  created_at: Int
  retry_from: Int
  next_attempt_at: Int
  delivered_at: Int | null
  last_error: string | null
  last_status: Int | null
}

/** The columns an INSERT of an OutboxMessage fills, in order (the rest keep their defaults). */
export const OUTBOX_INSERT_COLUMNS = 'id, room_id, seq, type, body, created_at, retry_from, next_attempt_at'

export function rowToDelivery(r: OutboxRow): WebhookDelivery {
  return {
    id: r.id,
    roomId: r.room_id,
    seq: Number(r.seq),
    type: r.type as WebhookEventType,
    status: r.status as WebhookDelivery['status'],
    attempts: Number(r.attempts),
    createdAt: Number(r.created_at),
    nextAttemptAt: r.status === 'pending' ? Number(r.next_attempt_at) : null,
    deliveredAt: n(r.delivered_at),
    lastError: r.last_error,
    lastStatus: n(r.last_status),
  }
}

export function rowToClaimed(r: OutboxRow): ClaimedMessage {
  return { id: r.id, roomId: r.room_id, seq: Number(r.seq), body: r.body, attempts: Number(r.attempts), retryFrom: Number(r.retry_from) }
}
