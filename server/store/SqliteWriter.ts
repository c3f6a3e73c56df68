// The only code that writes the SQLite file. It runs on the event loop (the default, see
// SqliteStore.ts) or in a worker thread (sqliteWriter.worker.ts, SQLITE_WRITER=thread).
// Appends that arrive together are committed in one transaction (group commit).
import type Database from 'better-sqlite3'
import { actorOf } from '../../shared/protocol/room.ts'
import { AppendRefusedError, CHANGE_TYPES } from './Store.ts'
import { appendToChain, emptyHead, type ChainWriter, type Head } from './eventChain.ts'
import { encodePayload, rowToEvent, type SqliteEventRow } from './rows.ts'
import type { OutboxRow } from './outboxRows.ts'
import { SqliteOutboxWriter, type OutboxWrite } from './sqliteOutbox.ts'
import { SqliteOrgWriter, type OrgWrite } from './sqliteOrgs.ts'
import { WEBHOOK_SOURCES, webhookOf } from '../webhooks/webhookOf.ts'
import type { AppendOptions, AppendResult, NewEvent, NewRoom, Snapshot, StoredEvent } from './Store.ts'

export interface AppendRequest {
  roomId: string
  events: NewEvent[]
  options?: AppendOptions
}

/** Per appended event: its chain fields, or the earlier stored event for a duplicate chat message. */
export type AppendedEvent = { seq: number; ts: number; prevHash: string; hash: string } | { duplicateOf: StoredEvent }

/** `refused`: the store's rules said no (AppendRefusedError), not the database. */
export type AppendOutcome = { ok: true; events: AppendedEvent[] } | { ok: false; error: string; refused: boolean }

export class SqliteWriter {
  /** Chain heads of rooms this writer appended to (it is the only writer of the file). */
  private readonly heads = new Map<string, Head>()
  /** Rooms whose append failed: nothing more is written for them until reset (a reload). */
  private readonly failed = new Set<string>()
  private readonly stmt
  /** Transaction wrappers made once (better-sqlite3 builds a new wrapper on every db.transaction call). */
  private readonly appendAll: (requests: AppendRequest[]) => AppendOutcome[]
  private readonly appendOne: (request: AppendRequest) => AppendedEvent[]

  private readonly outbox: SqliteOutboxWriter
  private readonly orgs: SqliteOrgWriter
  /** Webhooks are on: the events that cause one write their outbox row in their own transaction. */
  private readonly webhooks: boolean

  constructor(
    private readonly db: Database.Database,
    options: { webhooks?: boolean } = {},
  ) {
    this.outbox = new SqliteOutboxWriter(db)
    this.orgs = new SqliteOrgWriter(db)
    this.webhooks = options.webhooks ?? false
    this.appendAll = db.transaction((requests: AppendRequest[]) => requests.map((r): AppendOutcome => ({ ok: true, events: this.appendNow(r) })))
    this.appendOne = db.transaction((request: AppendRequest) => this.appendNow(request))
    this.stmt = {
      insertRoom: db.prepare(
        `INSERT INTO rooms (id, title, currency, phase, meta, created_at) VALUES (@id, @title, @currency, 'negotiating', @meta, @ts)`,
      ),
      roomPhase: db.prepare<[string], { phase: string }>('SELECT phase FROM rooms WHERE id = ?'),
      head: db.prepare<[string], { seq: number; hash: string; ts: number }>(
        'SELECT seq, hash, ts FROM events WHERE room_id = ? ORDER BY seq DESC LIMIT 1',
      ),
      setPhase: db.prepare(
        `UPDATE rooms SET phase = COALESCE(@phase, phase), agreement_hash = COALESCE(@agreementHash, agreement_hash) WHERE id = @roomId`,
      ),
      insertEvent: db.prepare(
        `INSERT INTO events (room_id, seq, ts, actor_role, actor_name, actor_staff_id, actor_org_id, type, payload, prev_hash, hash)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      chatSeq: db.prepare<[string, string], { seq: number }>('SELECT seq FROM chat_ids WHERE room_id = ? AND client_id = ?'),
      insertChatId: db.prepare('INSERT INTO chat_ids (room_id, client_id, seq) VALUES (?, ?, ?)'),
      event: db.prepare<[string, number], SqliteEventRow>('SELECT * FROM events WHERE room_id = ? AND seq = ?'),
      insertSnapshot: db.prepare('INSERT OR REPLACE INTO snapshots (room_id, seq, state, owners) VALUES (?, ?, ?, ?)'),
      pruneSnapshots: db.prepare('DELETE FROM snapshots WHERE room_id = ? AND seq < ?'),
      revokeInvites: db.prepare(
        `INSERT INTO invite_generations (room_id, role, generation, revoked_at) VALUES (?, ?, 1, ?)
         ON CONFLICT (room_id, role) DO UPDATE SET generation = generation + 1, revoked_at = excluded.revoked_at`,
      ),
    }
  }

  /** One transaction for the whole batch; if it fails, each request alone, so one room cannot fail the others. */
  appendBatch(requests: AppendRequest[]): AppendOutcome[] {
    try {
      return this.appendAll(requests)
    } catch {
      this.heads.clear()
      return requests.map((r) => {
        try {
          return { ok: true, events: this.appendOne(r) }
        } catch (err) {
          this.heads.delete(r.roomId)
          this.failed.add(r.roomId)
          return { ok: false, error: (err as Error).message || String(err), refused: err instanceof AppendRefusedError }
        }
      })
    }
  }

  createRoom(room: NewRoom, events: NewEvent[]): void {
    const ts = Date.now()
    try {
      this.db.transaction(() => {
        this.stmt.insertRoom.run({ id: room.id, title: room.title, currency: room.currency, meta: JSON.stringify(room.meta), ts })
        this.appendNow({ roomId: room.id, events })
      })()
    } catch (err) {
      this.heads.delete(room.id)
      throw err
    }
  }

  saveSnapshot(roomId: string, snapshot: Snapshot): void {
    this.db.transaction(() => {
      this.stmt.insertSnapshot.run(roomId, snapshot.seq, Buffer.from(snapshot.state), JSON.stringify(snapshot.owners))
      this.stmt.pruneSnapshots.run(roomId, snapshot.seq)
    })()
  }

  /** Raises the invite generation of each role by one (Store.revokeInvites), in one transaction. */
  revokeInvites(roomId: string, roles: readonly string[]): void {
    const at = Date.now()
    this.db.transaction(() => {
      for (const role of roles) this.stmt.revokeInvites.run(roomId, role, at)
    })()
  }

  /** A write of organisations, staff, sessions or API keys; answers the rows it changed. */
  orgWrite(w: OrgWrite): number {
    return this.orgs.run(w)
  }

  /** A claim, settlement or redelivery of the outbox (works whether or not this writer writes new rows). */
  outboxWrite(w: OutboxWrite): OutboxRow[] {
    return this.outbox.run(w)
  }

  /** The room is being loaded afresh: forget a failure and re-read its head. */
  reset(roomId: string): void {
    this.failed.delete(roomId)
    this.heads.delete(roomId)
  }

  private appendNow({ roomId, events, options }: AppendRequest): AppendedEvent[] {
    // Writing after a failed append would leave a gap the next load cannot replay across.
    if (this.failed.has(roomId)) throw new Error(`an earlier append for room ${roomId} failed`)
    let head = this.heads.get(roomId)
    if (!head) {
      const room = this.stmt.roomPhase.get(roomId)
      if (!room) throw new Error(`unknown room ${roomId}`)
      const last = this.stmt.head.get(roomId)
      head = last ? { ...last, phase: room.phase } : emptyHead(room.phase)
    }
    if (options?.ifNoChangeAfter !== undefined) {
      // Rare (a lock decided while other processes append): no prepared statement kept for it.
      const row = this.db
        .prepare(`SELECT max(seq) AS seq FROM events WHERE room_id = ? AND type IN (${CHANGE_TYPES.map(() => '?').join(', ')})`)
        .get(roomId, ...CHANGE_TYPES) as { seq: number | null } | undefined
      head = { ...head, lastChange: row?.seq ?? 0 }
    }
    const chained = appendToChain(roomId, head, events, options, Date.now(), this.chainWriter(roomId))
    // The head is the last event itself; only a phase change touches the rooms row.
    if (options?.phase || options?.agreementHash) {
      this.stmt.setPhase.run({ roomId, phase: options.phase ?? null, agreementHash: options.agreementHash ?? null })
    }
    // Without lastChange: it is read afresh whenever an append asks ifNoChangeAfter.
    const { seq, hash, ts, phase } = chained.head
    this.heads.set(roomId, { seq, hash, ts, phase })
    return chained.results.map((r): AppendedEvent => {
      const { seq, ts, prevHash, hash } = r.event
      return r.duplicate ? { duplicateOf: r.event } : { seq, ts, prevHash, hash }
    })
  }

  /** Where the chain writes one room's events: the events table and its chat index. */
  private chainWriter(roomId: string): ChainWriter {
    const stmt = this.stmt
    const outbox = this.webhooks ? this.outbox : null
    return {
      storedChat(clientId) {
        const existing = stmt.chatSeq.get(roomId, clientId)
        if (!existing) return undefined
        const row = stmt.event.get(roomId, existing.seq)
        if (!row) throw new Error(`chat ${clientId} indexed at a missing seq`)
        return rowToEvent(row)
      },
      write(event, source, phase) {
        const { seq, ts, actor, type } = event
        stmt.insertEvent.run(roomId, seq, ts, actor.role, actor.name, actor.staffId ?? null, actor.orgId ?? null, type, encodePayload(source), event.prevHash, event.hash)
        if (type === 'chat' && source.clientId !== undefined) stmt.insertChatId.run(roomId, source.clientId, seq)
        if (outbox && WEBHOOK_SOURCES.has(type)) {
          const message = webhookOf(event, phase)
          if (message) outbox.insert(message)
        }
      },
    }
  }
}

/** Turns the writer's answer back into stored events (the caller still holds what it sent). */
export function toAppendResults(roomId: string, events: NewEvent[], appended: AppendedEvent[]): AppendResult[] {
  return appended.map((a, i) => {
    if ('duplicateOf' in a) return { event: a.duplicateOf, duplicate: true }
    const e = events[i]!
    return {
      event: { roomId, seq: a.seq, ts: a.ts, actor: actorOf(e.actor), type: e.type, payload: e.payload, prevHash: a.prevHash, hash: a.hash },
      duplicate: false,
    }
  })
}
