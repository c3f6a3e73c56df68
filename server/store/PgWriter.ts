// The only code that appends to PostgreSQL, as SqliteWriter is for SQLite. Each room's appends queue
// up in call order, and whatever arrived while a commit ran is committed together, across rooms
// (group commit). A transaction locks the rooms' rows (SELECT … FOR UPDATE), reads their chain heads,
// inserts and commits, so several server processes appending to one room never fork the chain.
import type pg from 'pg'
import { CHANGE_TYPES } from './Store.ts'
import type { AppendOptions, AppendResult, NewEvent, StoredEvent } from './Store.ts'
import { emptyHead, type Head } from './eventChain.ts'
import { buildBatch, earlierFailed, insertRows, type AppendCall, type Outcome } from './pgAppend.ts'
import { insertOutbox } from './pgOutbox.ts'
import type { OutboxMessage } from '../webhooks/webhookOf.ts'
import { SQL } from './pgSql.ts'
import { asError, CommitUnknown, transaction } from './pgTransaction.ts'
import { rowToEvent, type PgEventRow } from './rows.ts'

/** Append transactions running at once (each takes every room with appends waiting, up to ROOMS_PER_TRANSACTION). */
const APPEND_TRANSACTIONS = 4
const ROOMS_PER_TRANSACTION = 64

interface PendingAppend extends AppendCall {
  kind: 'append'
  resolve: (r: AppendResult[]) => void
  reject: (e: Error) => void
}

/** loadRoom's place in the queue: appends called before it are settled first, then the failure is forgotten. */
interface PendingReset {
  kind: 'reset'
  resolve: () => void
}

interface RoomQueue {
  pending: (PendingAppend | PendingReset)[]
  /** A transaction holding appends of this room is running: the next ones wait for it (call order). */
  busy: boolean
}

/** One room's consecutive appends, committed together. */
interface RoomBatch {
  roomId: string
  batch: PendingAppend[]
}

export class PgWriter {
  private readonly queues = new Map<string, RoomQueue>()
  /** Rooms whose append failed: nothing more is written for them until reset (a reload). */
  private readonly failed = new Set<string>()
  private readonly maxInFlight: number
  private inFlight = 0
  private pumpScheduled = false
  private drainWaiters: (() => void)[] = []

  constructor(
    private readonly pool: pg.Pool,
    poolSize: number,
    /** Write webhook outbox rows with the events that cause them. */
    private readonly webhooks = false,
  ) {
    // Few append transactions at once, so that what arrives meanwhile makes the next ones bigger;
    // the rest of the pool stays free for reads.
    this.maxInFlight = Math.max(1, Math.min(APPEND_TRANSACTIONS, poolSize - 1))
  }

  append(roomId: string, events: NewEvent[], options?: AppendOptions): Promise<AppendResult[]> {
    return new Promise((resolve, reject) => {
      this.enqueue(roomId, { kind: 'append', events, ...(options ? { options } : {}), resolve, reject })
    })
  }

  /** Settles the appends called before it, then forgets the room's failure (loadRoom, resume). */
  reset(roomId: string): Promise<void> {
    return new Promise<void>((resolve) => this.enqueue(roomId, { kind: 'reset', resolve }))
  }

  /** The room's append failed and it has not been reset since. */
  hasFailed(roomId: string): boolean {
    return this.failed.has(roomId)
  }

  /** Resolves once every append already called is committed (or refused). */
  drained(): Promise<void> {
    if (this.queues.size === 0 && this.inFlight === 0) return Promise.resolve()
    return new Promise<void>((resolve) => this.drainWaiters.push(resolve))
  }

  private enqueue(roomId: string, item: PendingAppend | PendingReset): void {
    let q = this.queues.get(roomId)
    if (!q) {
      q = { pending: [], busy: false }
      this.queues.set(roomId, q)
    }
    q.pending.push(item)
    if (!q.busy) this.settleLocally(roomId, q)
    if (q.pending.length > 0) this.schedulePump()
    else if (!q.busy) this.queues.delete(roomId)
  }

  /** Wakes drained() once nothing is queued or running. */
  private checkDrained(): void {
    if (this.queues.size === 0 && this.inFlight === 0) for (const w of this.drainWaiters.splice(0)) w()
  }

  /** What needs no database, at the head of an idle room's queue: resets, and appends of a failed room. */
  private settleLocally(roomId: string, q: RoomQueue): void {
    while (q.pending.length > 0) {
      const first = q.pending[0]!
      if (first.kind === 'reset') {
        this.failed.delete(roomId)
        first.resolve()
      } else if (this.failed.has(roomId)) {
        first.reject(earlierFailed(roomId))
      } else {
        return
      }
      q.pending.shift()
    }
  }

  /** Runs on a later turn, so that the appends of this turn are committed together. */
  private schedulePump(): void {
    if (this.pumpScheduled) return
    this.pumpScheduled = true
    setImmediate(() => this.pump())
  }

  private pump(): void {
    this.pumpScheduled = false
    while (this.inFlight < this.maxInFlight) {
      const group: RoomBatch[] = []
      for (const [roomId, q] of this.queues) {
        if (q.busy) continue
        this.settleLocally(roomId, q)
        if (q.pending.length === 0) {
          this.queues.delete(roomId)
          continue
        }
        const end = q.pending.findIndex((p) => p.kind === 'reset')
        group.push({ roomId, batch: q.pending.splice(0, end === -1 ? q.pending.length : end) as PendingAppend[] })
        q.busy = true
        // To the back of the line, so that a busy room cannot starve the others.
        this.queues.delete(roomId)
        this.queues.set(roomId, q)
        if (group.length >= ROOMS_PER_TRANSACTION) break
      }
      if (group.length === 0) break
      this.inFlight++
      void this.commitGroup(group).finally(() => {
        this.inFlight--
        for (const { roomId } of group) {
          const q = this.queues.get(roomId)!
          q.busy = false
          this.settleLocally(roomId, q)
          if (q.pending.length === 0) this.queues.delete(roomId)
        }
        if (this.queues.size > 0) this.schedulePump()
        this.checkDrained()
      })
    }
    this.checkDrained()
  }

  /** Settles every request of the group; never throws. */
  private async commitGroup(group: RoomBatch[]): Promise<void> {
    const live = group.filter(({ roomId, batch }) => {
      if (!this.failed.has(roomId)) return true
      for (const p of batch) p.reject(earlierFailed(roomId))
      return false
    })
    if (live.length === 0) return
    try {
      const outcomes = await this.appendTransaction(live)
      for (const { roomId, batch } of live) this.settle(roomId, batch, outcomes.get(roomId)!)
    } catch (err) {
      if (err instanceof CommitUnknown || (live.length === 1 && live[0]!.batch.length === 1)) {
        // Whatever happened, nothing more is written for these rooms until they are reloaded from the database.
        for (const { roomId, batch } of live) {
          this.failed.add(roomId)
          for (const p of batch) p.reject(asError(err))
        }
      } else if (live.length > 1) {
        // Rolled back: each room alone, so that one room cannot fail the others.
        for (const g of live) await this.commitGroup([g])
      } else {
        // Each request alone, so that the failing one fails and the ones before it do not.
        const { roomId, batch } = live[0]!
        for (const p of batch) await this.commitGroup([{ roomId, batch: [p] }])
      }
    }
  }

  private settle(roomId: string, batch: PendingAppend[], outcomes: Outcome[]): void {
    batch.forEach((p, i) => {
      const o = outcomes[i]!
      if (o instanceof Error) {
        this.failed.add(roomId)
        p.reject(o)
      } else {
        p.resolve(o)
      }
    })
  }

  /**
   * One transaction for the group: lock the rooms' rows (in id order, so that processes never
   * deadlock), read their heads, insert. Refusals come back as Errors; database failures throw.
   */
  private async appendTransaction(group: RoomBatch[]): Promise<Map<string, Outcome[]>> {
    return transaction(this.pool, async (c) => {
      const ids = group.map((g) => g.roomId)
      const locked = await c.query<{ id: string; phase: string }>({ name: 'lock_rooms', text: SQL.lockRooms, values: [ids] })
      const phases = new Map(locked.rows.map((r) => [r.id, r.phase]))
      const present = ids.filter((id) => phases.has(id))
      const heads = new Map<string, { seq: number; hash: string; ts: string }>()
      if (present.length > 0) {
        const { rows } = await c.query<{ room_id: string; seq: number; hash: string; ts: string }>({ name: 'heads', text: SQL.heads, values: [present] })
        for (const r of rows) heads.set(r.room_id, r)
      }
      const chats = group.flatMap(({ roomId, batch }) =>
        phases.has(roomId) ? batch.flatMap((p) => p.events.filter((e) => e.type === 'chat' && e.clientId !== undefined).map((e) => [roomId, e.clientId!])) : [],
      )
      const known = new Map<string, Map<string, StoredEvent>>(ids.map((id) => [id, new Map()]))
      if (chats.length > 0) {
        const { rows } = await c.query<PgEventRow & { client_id: string }>({
          name: 'chat_by_client_id',
          text: SQL.chatByClientId,
          values: [chats.map((x) => x[0]), chats.map((x) => x[1])],
        })
        for (const r of rows) known.get(r.room_id)!.set(r.client_id, rowToEvent(r))
      }
      const outcomes = new Map<string, Outcome[]>()
      const rows: unknown[][] = []
      const outbox: OutboxMessage[] = []
      for (const { roomId, batch } of group) {
        const phase = phases.get(roomId)
        if (phase === undefined) {
          outcomes.set(roomId, [new Error(`unknown room ${roomId}`), ...batch.slice(1).map(() => earlierFailed(roomId))])
          continue
        }
        const h = heads.get(roomId)
        const head: Head = h ? { seq: h.seq, hash: h.hash, ts: Number(h.ts), phase } : emptyHead(phase)
        if (batch.some((p) => p.options?.ifNoChangeAfter !== undefined)) {
          const { rows: lc } = await c.query<{ seq: number | null }>({ name: 'last_change', text: SQL.lastChange, values: [roomId, CHANGE_TYPES] })
          head.lastChange = lc[0]?.seq ?? 0
        }
        const built = buildBatch(roomId, head, batch, known.get(roomId)!, this.webhooks)
        outcomes.set(roomId, built.outcomes)
        rows.push(...built.rows)
        outbox.push(...built.outbox)
        if (built.phase !== undefined || built.agreementHash !== undefined) {
          await c.query({ name: 'set_phase', text: SQL.setPhase, values: [roomId, built.phase ?? null, built.agreementHash ?? null] })
        }
      }
      await insertRows(c, rows)
      await insertOutbox(c, outbox)
      return outcomes
    })
  }
}
