// PostgreSQL store (node-postgres Pool). The database orders each room's log: an append locks the
// room's row (SELECT … FOR UPDATE), reads the chain head, inserts and commits, so several server
// processes appending to one room never fork the chain. Hashes are computed here, over exactly
// the JSON text that is stored (never over anything the database re-serialised).
//
// Within one process, each room's appends queue up in call order, and whatever arrived while a
// commit ran is committed together, across rooms (group commit, as the SQLite writer does).
import pg from 'pg'
import { EVENT_LINE_TYPES } from '../../shared/protocol/chat.ts'
import type { EventType } from '../../shared/protocol/eventLog.ts'
import type { Role } from '../../shared/protocol/room.ts'
import { AppendRefusedError, CHANGE_TYPES } from './Store.ts'
import { appendToChain, emptyHead, type ChainWriter, type Head } from './eventChain.ts'
import { migrate } from './pgMigrations.ts'
import { presenceSql, rowToEvent, rowToPresence, rowToRoom, rowToSnapshot, rowsToGenerations, storedPayload } from './rows.ts'
import type { PgEventRow, PresenceRow, RoomRow, SnapshotRow } from './rows.ts'
import type {
  AppendOptions,
  JsonPayload,
  AppendResult,
  EventRange,
  InviteGenerations,
  LoadedRoom,
  NewEvent,
  NewRoom,
  RoomRecord,
  Snapshot,
  Store,
  StoredEvent,
} from './Store.ts'

export interface PgStoreOptions {
  /** Connections in the pool (default 10). */
  max?: number
  /** Errors of idle pooled connections (the pool drops them and opens new ones). */
  onError?: (err: Error) => void
}

const EVENT_COLUMNS = 'room_id, seq, ts, actor_role, actor_name, type, payload_bytes, payload_json, prev_hash, hash'
const INSERT_COLUMNS = 'room_id, seq, ts, actor_role, actor_name, type, payload_bytes, payload_json, client_id, prev_hash, hash'
const INSERT_WIDTH = 11
/** Rows per INSERT statement (PostgreSQL allows 65535 parameters). */
const INSERT_CHUNK = 1000

const ROOM_WITH_HEAD = `
  SELECT r.id, r.title, r.currency, r.phase, r.meta, r.created_at, r.agreement_hash,
         h.seq AS last_seq, h.hash AS last_hash, h.ts AS last_activity
  FROM rooms r
  LEFT JOIN LATERAL (SELECT seq, hash, ts FROM events e WHERE e.room_id = r.id ORDER BY seq DESC LIMIT 1) h ON true`

const SQL = {
  getRoom: `${ROOM_WITH_HEAD} WHERE r.id = $1`,
  // As SQLite sorts it: rooms without any event last.
  listRooms: `${ROOM_WITH_HEAD} ORDER BY h.ts DESC NULLS LAST`,
  // In id order, so that two processes locking overlapping rooms never deadlock.
  lastChange: 'SELECT max(seq) AS seq FROM events WHERE room_id = $1 AND type = ANY($2::text[])',
  lockRooms: 'SELECT id, phase FROM rooms WHERE id = ANY($1::text[]) ORDER BY id FOR UPDATE',
  // A statement of its own, after the lock: under READ COMMITTED it sees what the previous holder committed.
  heads: `SELECT t.id AS room_id, h.seq, h.hash, h.ts FROM unnest($1::text[]) AS t(id)
          CROSS JOIN LATERAL (SELECT seq, hash, ts FROM events WHERE room_id = t.id ORDER BY seq DESC LIMIT 1) h`,
  chatByClientId: `SELECT client_id, ${EVENT_COLUMNS} FROM events
                   WHERE (room_id, client_id) IN (SELECT * FROM unnest($1::text[], $2::text[])) AND client_id IS NOT NULL`,
  setPhase: 'UPDATE rooms SET phase = COALESCE($2, phase), agreement_hash = COALESCE($3, agreement_hash) WHERE id = $1',
  insertRoom: `INSERT INTO rooms (id, title, currency, phase, meta, created_at) VALUES ($1, $2, $3, 'negotiating', $4, $5)`,
  latestSnapshot: 'SELECT seq, state, owners FROM snapshots WHERE room_id = $1 ORDER BY seq DESC LIMIT 1',
  // "type = 'update'" and "type <> 'update'" spelled out so a generic plan can still use the partial index.
  updatesAfter: `SELECT ${EVENT_COLUMNS} FROM events WHERE room_id = $1 AND seq > $2 AND type = 'update' ORDER BY seq`,
  recentChat: `SELECT ${EVENT_COLUMNS} FROM events WHERE room_id = $1 AND type = 'chat' AND type <> 'update' ORDER BY seq DESC LIMIT $2`,
  recentSystem: `
    SELECT e.* FROM unnest($2::text[]) AS t(type)
    CROSS JOIN LATERAL (
      SELECT ${EVENT_COLUMNS} FROM events
      WHERE room_id = $1 AND events.type = t.type AND events.type <> 'update' ORDER BY seq DESC LIMIT $3) e
    ORDER BY e.seq DESC LIMIT $3`,
  presence: presenceSql('events', '$1'),
  range: `SELECT ${EVENT_COLUMNS} FROM events WHERE room_id = $1 AND seq >= $2 AND seq <= $3 ORDER BY seq`,
  ofType: `SELECT ${EVENT_COLUMNS} FROM events WHERE room_id = $1 AND type = $2 AND type <> 'update' ORDER BY seq`,
  saveSnapshot: `INSERT INTO snapshots (room_id, seq, state, owners) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (room_id, seq) DO UPDATE SET state = EXCLUDED.state, owners = EXCLUDED.owners`,
  pruneSnapshots: 'DELETE FROM snapshots WHERE room_id = $1 AND seq < $2',
  // One statement: concurrent revocations of one room from several processes each raise the generation by one.
  revokeInvites: `INSERT INTO invite_generations (room_id, role, generation, revoked_at)
                  SELECT $1, role, 1, $3 FROM unnest($2::text[]) AS t(role) WHERE EXISTS (SELECT 1 FROM rooms WHERE id = $1)
                  ON CONFLICT (room_id, role) DO UPDATE SET generation = invite_generations.generation + 1, revoked_at = EXCLUDED.revoked_at`,
  generations: 'SELECT role, generation FROM invite_generations WHERE room_id = $1',
} as const

const SYSTEM_TYPES = Object.keys(EVENT_LINE_TYPES)
/** Append transactions running at once (each takes every room with appends waiting, up to ROOMS_PER_TRANSACTION). */
const APPEND_TRANSACTIONS = 4
const ROOMS_PER_TRANSACTION = 64
const MAX_SEQ = 2_147_483_647

interface PendingAppend {
  kind: 'append'
  events: NewEvent[]
  options?: AppendOptions
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

/** Per request: its results, or why it was refused. */
type Outcome = AppendResult[] | Error

/** The events of one room's batch, built against the head read under the room's lock. */
interface Built {
  outcomes: Outcome[]
  rows: unknown[][]
  phase?: Head['phase']
  agreementHash?: string
}

/** A failure after COMMIT was sent: the batch may or may not be in the database. */
class CommitUnknown extends Error {}

const earlierFailed = (roomId: string): Error => new Error(`an earlier append for room ${roomId} failed`)

export class PgStore implements Store {
  private readonly queues = new Map<string, RoomQueue>()
  /** Rooms whose append failed: nothing more is written for them until loadRoom. */
  private readonly failed = new Set<string>()
  private closed = false
  private inFlight = 0
  private pumpScheduled = false
  private drainWaiters: (() => void)[] = []

  private constructor(
    readonly pool: pg.Pool,
    private readonly maxInFlight: number,
  ) {}

  /** Connects and brings the schema up to date (migrations run at start-up). */
  static async open(connectionString: string, options: PgStoreOptions = {}): Promise<PgStore> {
    const max = options.max ?? 10
    // A database that does not answer fails the call (and the room reloads) rather than hanging it.
    const pool = new pg.Pool({ connectionString, max, application_name: 'negotiation-room', connectionTimeoutMillis: 10_000, keepAlive: true })
    pool.on('error', (err) => options.onError?.(err))
    try {
      await migrate(pool)
    } catch (err) {
      await pool.end().catch(() => {})
      throw err
    }
    // Few append transactions at once, so that what arrives meanwhile makes the next ones bigger;
    // the rest of the pool stays free for reads.
    return new PgStore(pool, Math.max(1, Math.min(APPEND_TRANSACTIONS, max - 1)))
  }

  async createRoom(room: NewRoom, events: NewEvent[]): Promise<RoomRecord> {
    this.assertOpen()
    // As with SQLite: a room id whose append failed stays refused until loaded.
    if (this.failed.has(room.id)) throw earlierFailed(room.id)
    await this.transaction(async (c) => {
      await c.query({ name: 'insert_room', text: SQL.insertRoom, values: [room.id, room.title, room.currency, JSON.stringify(room.meta), Date.now()] })
      const built = build(room.id, emptyHead('negotiating'), [{ kind: 'append', events, resolve() {}, reject() {} }], new Map())
      const outcome = built.outcomes[0]!
      if (outcome instanceof Error) throw outcome
      await insertRows(c, built.rows)
    })
    const rec = await this.getRoom(room.id)
    if (!rec) throw new Error('room vanished after creation')
    return rec
  }

  async getRoom(id: string): Promise<RoomRecord | null> {
    this.assertOpen()
    const { rows } = await this.pool.query<RoomRow>({ name: 'get_room', text: SQL.getRoom, values: [id] })
    return rows[0] ? rowToRoom(rows[0]) : null
  }

  async listRooms(): Promise<RoomRecord[]> {
    this.assertOpen()
    const { rows } = await this.pool.query<RoomRow>({ name: 'list_rooms', text: SQL.listRooms })
    return rows.map(rowToRoom)
  }

  async loadRoom(id: string, historyLimit: number): Promise<LoadedRoom | null> {
    this.assertOpen()
    await new Promise<void>((resolve) => this.enqueue(id, { kind: 'reset', resolve }))
    // One snapshot of the database: a consistent view of the room.
    return this.transaction(async (c) => {
      const room = await c.query<RoomRow>({ name: 'get_room', text: SQL.getRoom, values: [id] })
      if (!room.rows[0]) return null
      const snap = await c.query<SnapshotRow>({ name: 'latest_snapshot', text: SQL.latestSnapshot, values: [id] })
      const s = snap.rows[0]
      const snapshot: Snapshot | null = s ? rowToSnapshot(s) : null
      const updates = await c.query<PgEventRow>({ name: 'updates_after', text: SQL.updatesAfter, values: [id, snapshot?.seq ?? 0] })
      const chat = await c.query<PgEventRow>({ name: 'recent_chat', text: SQL.recentChat, values: [id, historyLimit] })
      const system = await c.query<PgEventRow>({ name: 'recent_system', text: SQL.recentSystem, values: [id, SYSTEM_TYPES, historyLimit] })
      const presence = await c.query<PresenceRow>({
        name: 'presence',
        text: SQL.presence,
        values: [id],
      })
      return {
        record: rowToRoom(room.rows[0]),
        snapshot,
        updates: updates.rows.map(rowToEvent),
        recentChat: chat.rows.reverse().map(rowToEvent),
        recentSystem: system.rows.reverse().map(rowToEvent),
        presence: presence.rows.map(rowToPresence),
      }
    }, 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY')
  }

  async resume(roomId: string): Promise<void> {
    this.assertOpen()
    await new Promise<void>((resolve) => this.enqueue(roomId, { kind: 'reset', resolve }))
  }

  append(roomId: string, events: NewEvent[], options?: AppendOptions): Promise<AppendResult[]> {
    if (this.closed) return Promise.reject(new Error('store is closed'))
    return new Promise((resolve, reject) => {
      this.enqueue(roomId, { kind: 'append', events, ...(options ? { options } : {}), resolve, reject })
    })
  }

  async saveSnapshot(roomId: string, snapshot: Snapshot): Promise<void> {
    this.assertOpen()
    await this.transaction(async (c) => {
      await c.query({ name: 'save_snapshot', text: SQL.saveSnapshot, values: [roomId, snapshot.seq, Buffer.from(snapshot.state), JSON.stringify(snapshot.owners)] })
      await c.query({ name: 'prune_snapshots', text: SQL.pruneSnapshots, values: [roomId, snapshot.seq] })
    })
  }

  async readEvents(roomId: string, range: EventRange = {}): Promise<StoredEvent[]> {
    this.assertOpen()
    const from = Math.max(range.fromSeq ?? 1, -MAX_SEQ)
    const to = Math.min(range.toSeq ?? MAX_SEQ, MAX_SEQ)
    const { rows } = await this.pool.query<PgEventRow>({ name: 'range', text: SQL.range, values: [roomId, from, to] })
    return rows.map(rowToEvent)
  }

  async readEventsOfType(roomId: string, type: Exclude<EventType, 'update'>): Promise<StoredEvent[]> {
    this.assertOpen()
    const { rows } = await this.pool.query<PgEventRow>({ name: 'of_type', text: SQL.ofType, values: [roomId, type] })
    return rows.map(rowToEvent)
  }

  async revokeInvites(roomId: string, roles: readonly Role[]): Promise<InviteGenerations | null> {
    this.assertOpen()
    if (!(await this.getRoom(roomId))) return null
    await this.pool.query({ name: 'revoke_invites', text: SQL.revokeInvites, values: [roomId, [...new Set(roles)], Date.now()] })
    return this.inviteGenerations(roomId)
  }

  async inviteGenerations(roomId: string): Promise<InviteGenerations> {
    this.assertOpen()
    const { rows } = await this.pool.query<{ role: string; generation: number }>({ name: 'generations', text: SQL.generations, values: [roomId] })
    return rowsToGenerations(rows)
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    // Appends already called are committed (or refused) before the pool closes.
    if (this.queues.size > 0 || this.inFlight > 0) await new Promise<void>((resolve) => this.drainWaiters.push(resolve))
    await this.pool.end()
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('store is closed')
  }

  // ---- the append queue: per room in call order, rooms committed together ----

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

  /** Wakes close() once nothing is queued or running. */
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
    return this.transaction(async (c) => {
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
        const built = build(roomId, head, batch, known.get(roomId)!)
        outcomes.set(roomId, built.outcomes)
        rows.push(...built.rows)
        if (built.phase !== undefined || built.agreementHash !== undefined) {
          await c.query({ name: 'set_phase', text: SQL.setPhase, values: [roomId, built.phase ?? null, built.agreementHash ?? null] })
        }
      }
      await insertRows(c, rows)
      return outcomes
    })
  }

  /** Runs `work` in a transaction on one pooled connection; a failed COMMIT is a CommitUnknown. */
  private async transaction<T>(work: (c: pg.PoolClient) => Promise<T>, begin = 'BEGIN'): Promise<T> {
    const c = await this.pool.connect()
    // A connection whose transaction state is unknown is dropped, not returned to the pool.
    let broken: Error | undefined
    try {
      try {
        await c.query(begin)
      } catch (err) {
        broken = asError(err)
        throw err
      }
      let result: T
      try {
        result = await work(c)
      } catch (err) {
        await c.query('ROLLBACK').catch((e: unknown) => {
          broken = asError(e)
        })
        throw err
      }
      try {
        await c.query('COMMIT')
      } catch (err) {
        broken = asError(err)
        throw new CommitUnknown(`commit failed, outcome unknown: ${broken.message}`)
      }
      return result
    } finally {
      c.release(broken ?? false)
    }
  }
}

/** Assigns seq, ts and hashes to a room's batch, in order, from `head`; a refused request ends the batch. */
function build(roomId: string, head: Head, batch: PendingAppend[], known: Map<string, StoredEvent>): Built {
  const built: Built = { outcomes: [], rows: [] }
  const now = Date.now()
  const writer: ChainWriter = {
    storedChat: (clientId) => known.get(clientId),
    write(event, source) {
      const { bytes, json } = storedPayload(source)
      const clientId = event.type === 'chat' && source.clientId !== undefined ? source.clientId : null
      const { seq, ts, actor, type } = event
      built.rows.push([roomId, seq, ts, actor.role, actor.name, type, bytes, json, clientId, event.prevHash, event.hash])
      // A later message with this clientId gets the stored form back, as if read from the database.
      if (clientId !== null) known.set(clientId, { ...event, payload: JSON.parse(json!) as JsonPayload })
    },
  }
  for (const p of batch) {
    try {
      const chained = appendToChain(roomId, head, p.events, p.options, now, writer)
      head = chained.head
      built.outcomes.push(chained.results)
    } catch (err) {
      if (!(err instanceof AppendRefusedError)) throw err
      built.outcomes.push(err)
      break
    }
    if (p.options?.phase !== undefined) built.phase = p.options.phase
    if (p.options?.agreementHash !== undefined) built.agreementHash = p.options.agreementHash
  }
  // After a refusal, the rest of the batch is refused too (the room waits to be reloaded).
  while (built.outcomes.length < batch.length) built.outcomes.push(earlierFailed(roomId))
  return built
}

async function insertRows(c: pg.PoolClient, rows: unknown[][]): Promise<void> {
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
    const chunk = rows.slice(i, i + INSERT_CHUNK)
    const values = chunk.map((_, r) => `(${Array.from({ length: INSERT_WIDTH }, (_, k) => `$${r * INSERT_WIDTH + k + 1}`).join(', ')})`)
    const text = `INSERT INTO events (${INSERT_COLUMNS}) VALUES ${values.join(', ')}`
    // Named (prepared once per connection) for the usual small batches.
    const name = chunk.length <= 16 ? `insert_events_${chunk.length}` : undefined
    await c.query({ ...(name ? { name } : {}), text, values: chunk.flat() })
  }
}

function asError(e: unknown): Error {
  return e instanceof Error ? e : new Error(String(e))
}
