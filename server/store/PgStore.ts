// PostgreSQL store (node-postgres Pool), in SqliteStore's shape: reads here, appends through the
// PgWriter queue (PgWriter.ts), statements in pgSql.ts, the schema in pgMigrations.ts. The database
// orders each room's log; hashes are computed over exactly the JSON text that is stored (never over
// anything the database re-serialised).
import pg from 'pg'
import { EVENT_LINE_TYPES } from '../../shared/protocol/chat.ts'
import type { EventType } from '../../shared/protocol/eventLog.ts'
import type { Role } from '../../shared/protocol/room.ts'
import { emptyHead } from './eventChain.ts'
import { buildBatch, earlierFailed, insertRows } from './pgAppend.ts'
import { migrate } from './pgMigrations.ts'
import { PgOutbox, insertOutbox } from './pgOutbox.ts'
import { PgOrgStore } from './pgOrgs.ts'
import { SQL } from './pgSql.ts'
import { transaction } from './pgTransaction.ts'
import { PgWriter } from './PgWriter.ts'
import { rowToEvent, rowToPresence, rowToRoom, rowToSnapshot, rowsToGenerations } from './rows.ts'
import type { PgEventRow, PresenceRow, RoomRow, SnapshotRow } from './rows.ts'
import type {
  AppendOptions,
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
  /** Write webhook outbox rows with the events that cause them (WEBHOOK_URL is set). */
  webhooks?: boolean
}

const SYSTEM_TYPES = Object.keys(EVENT_LINE_TYPES)
const MAX_SEQ = 2_147_483_647

export class PgStore implements Store {
  private readonly writer: PgWriter
  readonly outbox: PgOutbox
  readonly orgs: PgOrgStore
  private closed = false

  private constructor(
    readonly pool: pg.Pool,
    poolSize: number,
    private readonly webhooks: boolean,
  ) {
    this.writer = new PgWriter(pool, poolSize, webhooks)
    this.outbox = new PgOutbox(pool)
    this.orgs = new PgOrgStore(pool)
  }

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
    return new PgStore(pool, max, options.webhooks ?? false)
  }

  async createRoom(room: NewRoom, events: NewEvent[]): Promise<RoomRecord> {
    this.assertOpen()
    // As with SQLite: a room id whose append failed stays refused until loaded.
    if (this.writer.hasFailed(room.id)) throw earlierFailed(room.id)
    await transaction(this.pool, async (c) => {
      await c.query({ name: 'insert_room', text: SQL.insertRoom, values: [room.id, room.title, room.currency, JSON.stringify(room.meta), Date.now()] })
      const built = buildBatch(room.id, emptyHead('negotiating'), [{ events }], new Map(), this.webhooks)
      const outcome = built.outcomes[0]!
      if (outcome instanceof Error) throw outcome
      await insertRows(c, built.rows)
      await insertOutbox(c, built.outbox)
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
    await this.writer.reset(id)
    // One snapshot of the database: a consistent view of the room.
    return transaction(this.pool, async (c) => {
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
    await this.writer.reset(roomId)
  }

  append(roomId: string, events: NewEvent[], options?: AppendOptions): Promise<AppendResult[]> {
    if (this.closed) return Promise.reject(new Error('store is closed'))
    return this.writer.append(roomId, events, options)
  }

  async saveSnapshot(roomId: string, snapshot: Snapshot): Promise<void> {
    this.assertOpen()
    await transaction(this.pool, async (c) => {
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
    await this.writer.drained()
    await this.pool.end()
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('store is closed')
  }}
