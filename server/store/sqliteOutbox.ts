// The webhook outbox on SQLite: rows inserted by the writer inside an append's transaction, claimed and
// settled through the same writer (the only connection that writes the file), listed by the reader.
import type Database from 'better-sqlite3'
import type { OutboxMessage } from '../webhooks/webhookOf.ts'
import { OUTBOX_INSERT_COLUMNS, type OutboxRow } from './outboxRows.ts'
import type { DeliveryOutcome } from './Store.ts'

/** The outbox calls that write, as the store sends them to its writer. */
export type OutboxWrite =
  | { kind: 'claim'; worker: string; now: number; leaseMs: number; limit: number }
  | { kind: 'settle'; id: string; worker: string; outcome: DeliveryOutcome }
  | { kind: 'redeliver'; id: string; now: number }

/** Per room, its earliest pending row only: a room's events go out in order (a parked row no longer holds the others up). */
const CLAIM = `
UPDATE webhook_outbox SET claimed_by = @worker, claimed_until = @until, attempts = attempts + 1
WHERE id IN (
  SELECT o.id FROM webhook_outbox o
  WHERE o.status = 'pending' AND o.next_attempt_at <= @now AND (o.claimed_until IS NULL OR o.claimed_until <= @now)
    AND NOT EXISTS (SELECT 1 FROM webhook_outbox p WHERE p.room_id = o.room_id AND p.status = 'pending' AND p.seq < o.seq)
  ORDER BY o.next_attempt_at, o.seq
  LIMIT @limit)
RETURNING *`

export class SqliteOutboxWriter {
  private readonly stmt

  constructor(db: Database.Database) {
    this.stmt = {
      insert: db.prepare(`INSERT INTO webhook_outbox (${OUTBOX_INSERT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
      claim: db.prepare<[{ worker: string; until: number; now: number; limit: number }], OutboxRow>(CLAIM),
      delivered: db.prepare(
        `UPDATE webhook_outbox SET status = 'delivered', delivered_at = @at, last_status = @httpStatus, last_error = NULL,
           claimed_by = NULL, claimed_until = NULL WHERE id = @id AND status = 'pending'`,
      ),
      retry: db.prepare(
        `UPDATE webhook_outbox SET next_attempt_at = @nextAt, last_error = @error, last_status = @httpStatus, claimed_by = NULL, claimed_until = NULL
         WHERE id = @id AND claimed_by = @worker AND status = 'pending'`,
      ),
      failed: db.prepare(
        `UPDATE webhook_outbox SET status = 'failed', last_error = @error, last_status = @httpStatus, claimed_by = NULL, claimed_until = NULL
         WHERE id = @id AND claimed_by = @worker AND status = 'pending'`,
      ),
      // A claim in flight is kept: its holder settles it, and nobody else sends it meanwhile.
      redeliver: db.prepare<[{ id: string; now: number }], OutboxRow>(
        `UPDATE webhook_outbox SET status = 'pending', attempts = 0, retry_from = @now, next_attempt_at = @now, delivered_at = NULL
         WHERE id = @id RETURNING *`,
      ),
    }
  }

  /** Inside the append's transaction. */
  insert(m: OutboxMessage): void {
    this.stmt.insert.run(m.id, m.roomId, m.seq, m.type, m.body, m.createdAt, m.createdAt, m.createdAt)
  }

  run(w: OutboxWrite): OutboxRow[] {
    switch (w.kind) {
      case 'claim':
        return this.stmt.claim.all({ worker: w.worker, until: w.now + w.leaseMs, now: w.now, limit: w.limit })
      case 'redeliver':
        return this.stmt.redeliver.all({ id: w.id, now: w.now })
      case 'settle': {
        const o = w.outcome
        if (o.status === 'delivered') this.stmt.delivered.run({ id: w.id, at: o.at, httpStatus: o.httpStatus })
        else if (o.status === 'retry') this.stmt.retry.run({ id: w.id, worker: w.worker, nextAt: o.nextAt, error: o.error, httpStatus: o.httpStatus })
        else this.stmt.failed.run({ id: w.id, worker: w.worker, error: o.error, httpStatus: o.httpStatus })
        return []
      }
    }
  }
}

/** The admin's list (reader connection), newest first. */
export function listOutbox(db: Database.Database, status: string | undefined, limit: number): OutboxRow[] {
  return status
    ? db.prepare<[string, number], OutboxRow>('SELECT * FROM webhook_outbox WHERE status = ? ORDER BY created_at DESC, seq DESC LIMIT ?').all(status, limit)
    : db.prepare<[number], OutboxRow>('SELECT * FROM webhook_outbox ORDER BY created_at DESC, seq DESC LIMIT ?').all(limit)
}
