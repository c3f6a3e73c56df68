// SQLite store (better-sqlite3, WAL). Every write goes through one writer (SqliteWriter); the
// appends of one event-loop turn are committed together (group commit across rooms).
// By default the writer commits on the event loop, synchronously: a commit with synchronous=FULL
// costs ~0.2-0.5 ms here, less than the two thread hops (postMessage both ways, structured clone,
// a wake-up on each side) of a worker-thread writer, whose wake-ups also queue behind everything
// else on a busy machine (bench:server: p99 in-server time 90 ms threaded vs 31 ms inline under load).
// Messages that arrive during a commit wait in the socket and join the next one.
// Also measured and dropped (bench:server, 200 rooms, A/B on the same machine): fdatasync of the
// WAL on libuv's thread pool with synchronous=NORMAL, answering after it (p99 11-30 ms vs 8-9 ms
// inline: the extra wake-ups cost more than the unblocked loop gains on a busy 2-core machine), and
// PASSIVE checkpoints from a separate thread (the WAL never restarts under a steady writer: it grew
// to its limit and commits got slower).
import { Worker } from 'node:worker_threads'
import { EVENT_LINE_TYPES } from '../../shared/protocol/chat.ts'
import type { EventType } from '../../shared/protocol/eventLog.ts'
import type { Role } from '../../shared/protocol/room.ts'
import { LatencyHistogram } from '../LatencyHistogram.ts'
import { ROOM_WITH_HEAD, openDatabase, type Synchronous } from './sqliteSchema.ts'
import { presenceSql, rowToEvent, rowToPresence, rowToRoom, rowToSnapshot, rowsToGenerations } from './rows.ts'
import type { PresenceRow, RoomRow, SnapshotRow, SqliteEventRow } from './rows.ts'
import { SqliteWriter, toAppendResults, type AppendedEvent, type AppendRequest } from './SqliteWriter.ts'
import {
  AppendRefusedError,
  type AppendOptions,
  type AppendResult,
  type DeliveryOutcome,
  type EventRange,
  type InviteGenerations,
  type LoadedRoom,
  type NewEvent,
  type NewRoom,
  type RoomRecord,
  type Snapshot,
  type Store,
  type StoredEvent,
} from './Store.ts'
import type { WriterCall, WriterRequest, WriterResponse, WriterValue } from './writerProtocol.ts'
import { listOutbox, type OutboxWrite } from './sqliteOutbox.ts'
import { rowToClaimed, rowToDelivery, type OutboxRow } from './outboxRows.ts'
import { sqliteOrgStore } from './sqliteOrgs.ts'
import type { OrgStore } from './OrgStore.ts'
import type { DeliveryStatus, WebhookDelivery } from '../webhooks/events.ts'
import type Database from 'better-sqlite3'

export interface SqliteStoreOptions {
  /** FULL (default) fsyncs every commit; see openDatabase. NORMAL only for comparing the cost. */
  synchronous?: Synchronous
  /** Commit from a worker thread instead of the event loop (not for ':memory:'); see the top of this file. */
  writerThread?: boolean
  /** Write webhook outbox rows with the events that cause them (WEBHOOK_URL is set). */
  webhooks?: boolean
}

interface WriterClient {
  call(c: WriterCall): Promise<WriterValue | undefined>
  close(): Promise<void>
}

/** In-thread writer: commits the appends of one event-loop turn in one transaction, in setImmediate. */
class InlineWriter implements WriterClient {
  private pending: { request: AppendRequest; resolve: (v: AppendedEvent[]) => void; reject: (e: Error) => void }[] = []
  private scheduled = false

  constructor(
    private readonly writer: SqliteWriter,
    private readonly commitLatency: LatencyHistogram,
  ) {}

  call(c: WriterCall): Promise<WriterValue | undefined> {
    if (c.op === 'append') {
      return new Promise((resolve, reject) => {
        this.pending.push({ request: { roomId: c.roomId, events: c.events, options: c.options }, resolve, reject })
        if (!this.scheduled) {
          this.scheduled = true
          setImmediate(() => this.flush())
        }
      })
    }
    this.flush()
    try {
      if (c.op === 'createRoom') this.writer.createRoom(c.room, c.events)
      else if (c.op === 'snapshot') this.writer.saveSnapshot(c.roomId, c.snapshot)
      else if (c.op === 'reset') this.writer.reset(c.roomId)
      else if (c.op === 'revokeInvites') this.writer.revokeInvites(c.roomId, c.roles)
      else if (c.op === 'outbox') return Promise.resolve(this.writer.outboxWrite(c.write))
      else if (c.op === 'orgs') return Promise.resolve(this.writer.orgWrite(c.write))
      return Promise.resolve(undefined)
    } catch (err) {
      return Promise.reject(err as Error)
    }
  }

  async close(): Promise<void> {
    this.flush()
  }

  private flush(): void {
    this.scheduled = false
    const batch = this.pending
    this.pending = []
    if (batch.length === 0) return
    const start = performance.now()
    const outcomes = this.writer.appendBatch(batch.map((p) => p.request))
    this.commitLatency.since(start)
    batch.forEach((p, i) => {
      const o = outcomes[i]!
      if (o.ok) p.resolve(o.events)
      else p.reject(o.refused ? new AppendRefusedError(o.error) : new Error(o.error))
    })
  }
}

/** The writer in a worker thread. */
class ThreadWriter implements WriterClient {
  private readonly worker: Worker
  private nextId = 1
  private readonly waiting = new Map<number, { resolve: (v: WriterValue | undefined) => void; reject: (e: Error) => void }>()
  private dead: Error | null = null
  /** Requests of this event-loop turn, posted as one message (one structured clone, one wake-up). */
  private outbox: WriterRequest[] = []

  constructor(file: string, synchronous: Synchronous, webhooks: boolean) {
    this.worker = new Worker(new URL('./sqliteWriter.boot.mjs', import.meta.url), { workerData: { file, synchronous, webhooks } })
    this.worker.unref()
    this.worker.on('message', (responses: WriterResponse[]) => {
      for (const r of responses) {
        const w = this.waiting.get(r.id)
        if (!w) continue
        this.waiting.delete(r.id)
        if (r.ok) w.resolve(r.value)
        else w.reject(r.refused ? new AppendRefusedError(r.error) : new Error(r.error))
      }
    })
    const die = (err: Error): void => {
      this.dead ??= err
      for (const w of this.waiting.values()) w.reject(this.dead)
      this.waiting.clear()
    }
    this.worker.on('error', (err) => die(new Error(`sqlite writer thread failed: ${err.message}`)))
    this.worker.on('exit', (code) => die(new Error(`sqlite writer thread exited (${code})`)))
  }

  call(c: WriterCall): Promise<WriterValue | undefined> {
    if (this.dead) return Promise.reject(this.dead)
    const id = this.nextId++
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject })
      this.outbox.push({ ...c, id } as WriterRequest)
      if (this.outbox.length === 1) setImmediate(() => this.post())
    })
  }

  private post(): void {
    const batch = this.outbox
    this.outbox = []
    if (batch.length > 0 && !this.dead) this.worker.postMessage(batch)
  }

  async close(): Promise<void> {
    if (!this.dead) await this.call({ op: 'close' }).catch(() => {})
    await this.worker.terminate()
  }
}

export class SqliteStore implements Store {
  /** The reading connection (the writer has its own). */
  readonly db: Database.Database
  /** From append() to its commit (queueing, group commit, fsync); and each in-thread commit alone. */
  readonly appendLatency = new LatencyHistogram()
  readonly commitLatency = new LatencyHistogram()
  private readonly writer: WriterClient
  private closed = false
  private readonly stmt

  /** `file` is a path, or ':memory:' for tests. */
  constructor(file: string, options: SqliteStoreOptions = {}) {
    const synchronous = options.synchronous ?? 'FULL'
    // Opening here also creates the schema before a writer thread opens the file.
    this.db = openDatabase(file, synchronous)
    const threaded = (options.writerThread ?? false) && file !== ':memory:'
    const webhooks = options.webhooks ?? false
    this.writer = threaded ? new ThreadWriter(file, synchronous, webhooks) : new InlineWriter(new SqliteWriter(this.db, { webhooks }), this.commitLatency)
    const db = this.db
    this.stmt = {
      getRoom: db.prepare<[string], RoomRow>(`${ROOM_WITH_HEAD} WHERE r.id = ?`),
      listRooms: db.prepare<[], RoomRow>(`${ROOM_WITH_HEAD} ORDER BY last_activity DESC`),
      latestSnapshot: db.prepare<[string], SnapshotRow>(
        'SELECT seq, state, owners FROM snapshots WHERE room_id = ? ORDER BY seq DESC LIMIT 1',
      ),
      updatesAfter: db.prepare<[string, number], SqliteEventRow>(`SELECT * FROM events WHERE room_id = ? AND seq > ? AND type = 'update' ORDER BY seq`),
      // "type <> 'update'" repeated so the partial index events_by_type can serve these (INDEXED BY insists).
      recentOfType: db.prepare<[string, string, number], SqliteEventRow>(
        `SELECT * FROM events INDEXED BY events_by_type WHERE room_id = ? AND type = ? AND type <> 'update' ORDER BY seq DESC LIMIT ?`,
      ),
      presence: db.prepare<[string], PresenceRow>(presenceSql('events INDEXED BY events_by_type', '?')),
      range: db.prepare<[string, number, number], SqliteEventRow>('SELECT * FROM events WHERE room_id = ? AND seq >= ? AND seq <= ? ORDER BY seq'),
      ofType: db.prepare<[string, string], SqliteEventRow>(
        `SELECT * FROM events INDEXED BY events_by_type WHERE room_id = ? AND type = ? AND type <> 'update' ORDER BY seq`,
      ),
      generations: db.prepare<[string], { role: string; generation: number }>('SELECT role, generation FROM invite_generations WHERE room_id = ?'),
    }
    this.orgs = sqliteOrgStore(db, async (write) => {
      this.assertOpen()
      return ((await this.writer.call({ op: 'orgs', write })) ?? 0) as number
    })
  }

  async createRoom(room: NewRoom, events: NewEvent[]): Promise<RoomRecord> {
    this.assertOpen()
    await this.writer.call({ op: 'createRoom', room, events })
    const rec = await this.getRoom(room.id)
    if (!rec) throw new Error('room vanished after creation')
    return rec
  }

  async getRoom(id: string): Promise<RoomRecord | null> {
    this.assertOpen()
    const row = this.stmt.getRoom.get(id)
    return row ? rowToRoom(row) : null
  }

  async listRooms(): Promise<RoomRecord[]> {
    this.assertOpen()
    return this.stmt.listRooms.all().map(rowToRoom)
  }

  async resume(roomId: string): Promise<void> {
    await this.writer.call({ op: 'reset', roomId })
  }

  async loadRoom(id: string, historyLimit: number): Promise<LoadedRoom | null> {
    this.assertOpen()
    await this.writer.call({ op: 'reset', roomId: id })
    // One read transaction: a consistent view of the room.
    return this.db.transaction((): LoadedRoom | null => {
      const row = this.stmt.getRoom.get(id)
      if (!row) return null
      const snap = this.stmt.latestSnapshot.get(id)
      const snapshot: Snapshot | null = snap ? rowToSnapshot(snap) : null
      const updates = this.stmt.updatesAfter.all(id, snapshot?.seq ?? 0).map(rowToEvent)
      const recentChat = this.stmt.recentOfType.all(id, 'chat', historyLimit).reverse().map(rowToEvent)
      const system: SqliteEventRow[] = []
      for (const type of Object.keys(EVENT_LINE_TYPES)) system.push(...this.stmt.recentOfType.all(id, type, historyLimit))
      system.sort((a, b) => a.seq - b.seq)
      const recentSystem = system.slice(-historyLimit).map(rowToEvent)
      const presence = this.stmt.presence.all(id).map(rowToPresence)
      return { record: rowToRoom(row), snapshot, updates, recentChat, recentSystem, presence }
    })()
  }

  async append(roomId: string, events: NewEvent[], options?: AppendOptions): Promise<AppendResult[]> {
    this.assertOpen()
    const start = performance.now()
    const appended = await this.writer.call({ op: 'append', roomId, events, ...(options ? { options } : {}) })
    this.appendLatency.since(start)
    return toAppendResults(roomId, events, appended as AppendedEvent[])
  }

  async saveSnapshot(roomId: string, snapshot: Snapshot): Promise<void> {
    this.assertOpen()
    await this.writer.call({ op: 'snapshot', roomId, snapshot })
  }

  async readEvents(roomId: string, range: EventRange = {}): Promise<StoredEvent[]> {
    this.assertOpen()
    return this.stmt.range.all(roomId, range.fromSeq ?? 1, range.toSeq ?? Number.MAX_SAFE_INTEGER).map(rowToEvent)
  }

  async readEventsOfType(roomId: string, type: Exclude<EventType, 'update'>): Promise<StoredEvent[]> {
    this.assertOpen()
    return this.stmt.ofType.all(roomId, type).map(rowToEvent)
  }

  async revokeInvites(roomId: string, roles: readonly Role[]): Promise<InviteGenerations | null> {
    this.assertOpen()
    if (!this.stmt.getRoom.get(roomId)) return null
    await this.writer.call({ op: 'revokeInvites', roomId, roles: [...new Set(roles)] })
    return this.inviteGenerations(roomId)
  }

  async inviteGenerations(roomId: string): Promise<InviteGenerations> {
    this.assertOpen()
    return rowsToGenerations(this.stmt.generations.all(roomId))
  }

  readonly outbox = {
    claim: async (worker: string, now: number, leaseMs: number, limit: number) =>
      (await this.outboxWrite({ kind: 'claim', worker, now, leaseMs, limit })).map(rowToClaimed),
    settle: async (id: string, worker: string, outcome: DeliveryOutcome): Promise<void> => {
      await this.outboxWrite({ kind: 'settle', id, worker, outcome })
    },
    list: async (status: DeliveryStatus | undefined, limit: number): Promise<WebhookDelivery[]> => {
      this.assertOpen()
      return listOutbox(this.db, status, limit).map(rowToDelivery)
    },
    redeliver: async (id: string, now: number): Promise<WebhookDelivery | null> => {
      const [row] = await this.outboxWrite({ kind: 'redeliver', id, now })
      return row ? rowToDelivery(row) : null
    },
  } satisfies Store['outbox']

  readonly orgs: OrgStore

  private async outboxWrite(write: OutboxWrite): Promise<OutboxRow[]> {
    this.assertOpen()
    return ((await this.writer.call({ op: 'outbox', write })) ?? []) as OutboxRow[]
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    await this.writer.close()
    this.db.close()
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('store is closed')
  }
}
