// The webhook outbox on PostgreSQL. Several server processes share it: a claim locks its rows with
// FOR UPDATE SKIP LOCKED (a row another process is claiming is passed over, not waited for) and marks
// them with a lease, so exactly one process sends a row at a time and a dead process's claim runs out.
import type pg from 'pg'
import type { DeliveryStatus, WebhookDelivery } from '../webhooks/events.ts'
import type { OutboxMessage } from '../webhooks/webhookOf.ts'
import { OUTBOX_INSERT_COLUMNS, rowToClaimed, rowToDelivery, type OutboxRow } from './outboxRows.ts'
import type { ClaimedMessage, DeliveryOutcome, WebhookOutbox } from './Store.ts'

const OUTBOX_WIDTH = 8

/** The outbox rows of an append, inside its transaction. */
export async function insertOutbox(c: pg.PoolClient, messages: readonly OutboxMessage[]): Promise<void> {
  if (messages.length === 0) return
  const values = messages.map((_, r) => `(${Array.from({ length: OUTBOX_WIDTH }, (_, k) => `$${r * OUTBOX_WIDTH + k + 1}`).join(', ')})`)
  await c.query({
    text: `INSERT INTO webhook_outbox (${OUTBOX_INSERT_COLUMNS}) VALUES ${values.join(', ')}`,
    values: messages.flatMap((m) => [m.id, m.roomId, m.seq, m.type, m.body, m.createdAt, m.createdAt, m.createdAt]),
  })
}

// Per room, its earliest pending row only. Under READ COMMITTED a row locked by another claimer is
// skipped, and one it has just claimed is re-checked against its new claimed_until and left out.
const CLAIM = `
WITH due AS (
  SELECT o.id FROM webhook_outbox o
  WHERE o.status = 'pending' AND o.next_attempt_at <= $1 AND (o.claimed_until IS NULL OR o.claimed_until <= $1)
    AND NOT EXISTS (SELECT 1 FROM webhook_outbox p WHERE p.room_id = o.room_id AND p.status = 'pending' AND p.seq < o.seq)
  ORDER BY o.next_attempt_at, o.seq
  LIMIT $2
  FOR UPDATE OF o SKIP LOCKED)
UPDATE webhook_outbox w SET claimed_by = $3, claimed_until = $4, attempts = w.attempts + 1
FROM due WHERE w.id = due.id
RETURNING w.*`

export class PgOutbox implements WebhookOutbox {
  constructor(private readonly pool: pg.Pool) {}

  async claim(worker: string, now: number, leaseMs: number, limit: number): Promise<ClaimedMessage[]> {
    const { rows } = await this.pool.query<OutboxRow>({ name: 'outbox_claim', text: CLAIM, values: [now, limit, worker, now + leaseMs] })
    return rows.map(rowToClaimed)
  }

  async settle(id: string, worker: string, o: DeliveryOutcome): Promise<void> {
    if (o.status === 'delivered') {
      await this.pool.query({
        name: 'outbox_delivered',
        text: `UPDATE webhook_outbox SET status = 'delivered', delivered_at = $2, last_status = $3, last_error = NULL, claimed_by = NULL, claimed_until = NULL
               WHERE id = $1 AND status = 'pending'`,
        values: [id, o.at, o.httpStatus],
      })
    } else if (o.status === 'retry') {
      await this.pool.query({
        name: 'outbox_retry',
        text: `UPDATE webhook_outbox SET next_attempt_at = $3, last_error = $4, last_status = $5, claimed_by = NULL, claimed_until = NULL
               WHERE id = $1 AND claimed_by = $2 AND status = 'pending'`,
        values: [id, worker, o.nextAt, o.error, o.httpStatus],
      })
    } else {
      await this.pool.query({
        name: 'outbox_failed',
        text: `UPDATE webhook_outbox SET status = 'failed', last_error = $3, last_status = $4, claimed_by = NULL, claimed_until = NULL
               WHERE id = $1 AND claimed_by = $2 AND status = 'pending'`,
        values: [id, worker, o.error, o.httpStatus],
      })
    }
  }

  async list(status: DeliveryStatus | undefined, limit: number): Promise<WebhookDelivery[]> {
    const { rows } = await this.pool.query<OutboxRow>({
      name: 'outbox_list',
      text: 'SELECT * FROM webhook_outbox WHERE ($1::text IS NULL OR status = $1) ORDER BY created_at DESC, seq DESC LIMIT $2',
      values: [status ?? null, limit],
    })
    return rows.map(rowToDelivery)
  }

  async redeliver(id: string, now: number): Promise<WebhookDelivery | null> {
    // A claim in flight is kept: its holder settles it, and nobody else sends it meanwhile.
    const { rows } = await this.pool.query<OutboxRow>({
      name: 'outbox_redeliver',
      text: `UPDATE webhook_outbox SET status = 'pending', attempts = 0, retry_from = $2, next_attempt_at = $2, delivered_at = NULL
             WHERE id = $1 RETURNING *`,
      values: [id, now],
    })
    return rows[0] ? rowToDelivery(rows[0]) : null
  }
}
