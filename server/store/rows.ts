// The rows both schemas return and their mapping to store records. SQLite answers integers as
// numbers, PostgreSQL answers bigint columns as strings: every mapper reads them through Number.
import { GENESIS_HASH, type EventType } from '../../shared/protocol/eventLog.ts'
import type { ActorRole, Phase, Role } from '../../shared/protocol/room.ts'
import { NO_REVOCATIONS } from './Store.ts'
import type { InviteGenerations, JsonPayload, NewEvent, PresenceRecord, RoomMeta, RoomRecord, Snapshot, StoredEvent } from './Store.ts'

type Bigint = number | string

/** A rooms row joined with its chain head (the last event; the head is not stored twice). */
export interface RoomRow {
  id: string
  title: string
  currency: string
  phase: string
  meta: string
  created_at: Bigint
  agreement_hash: string | null
  last_seq: number | null
  last_hash: string | null
  last_activity: Bigint | null
}

interface EventColumns {
  room_id: string
  seq: number
  ts: Bigint
  actor_role: string
  actor_name: string
  /** Null but for the staff member in the lender's seat (and in rows written before version 5). */
  actor_staff_id?: string | null
  actor_org_id?: string | null
  type: string
  prev_hash: string
  hash: string
}

/** SQLite keeps every payload in one BLOB column (JSON as its UTF-8 text). */
export interface SqliteEventRow extends EventColumns {
  payload: Buffer
}

/** PostgreSQL keeps update bytes and JSON text apart (bytea, text). */
export interface PgEventRow extends EventColumns {
  payload_bytes: Buffer | null
  payload_json: string | null
}

export interface SnapshotRow {
  seq: number
  state: Buffer
  owners: string
}

/** Per joined person, the seq of their last join and last leave. */
export interface PresenceRow {
  actor_role: string
  actor_name: string
  j: number | null
  l: number | null
}

/**
 * Everyone who ever joined the room, in order of first join. Same SQL in both schemas; `from`
 * may carry an index hint and `roomParam` is the dialect's placeholder. "type <> 'update'" lets
 * the partial index on non-update events serve it.
 */
export const presenceSql = (from: string, roomParam: string): string => `
  SELECT actor_role, actor_name,
         MAX(seq) FILTER (WHERE type = 'join') AS j,
         MAX(seq) FILTER (WHERE type = 'leave') AS l
  FROM ${from} WHERE room_id = ${roomParam} AND type IN ('join', 'leave') AND type <> 'update'
  GROUP BY actor_role, actor_name ORDER BY MIN(seq)`

export function rowToRoom(r: RoomRow): RoomRecord {
  const createdAt = Number(r.created_at)
  const rec: RoomRecord = {
    id: r.id,
    title: r.title,
    currency: r.currency,
    phase: r.phase as Phase,
    meta: JSON.parse(r.meta) as RoomMeta,
    createdAt,
    lastActivity: r.last_activity === null ? createdAt : Number(r.last_activity),
    lastSeq: r.last_seq ?? 0,
    lastHash: r.last_hash ?? GENESIS_HASH,
  }
  if (r.agreement_hash) rec.agreementHash = r.agreement_hash
  return rec
}

const bytesOf = (b: Buffer): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.byteLength)

export function rowToEvent(r: SqliteEventRow | PgEventRow): StoredEvent {
  let payload: Uint8Array | JsonPayload
  if ('payload' in r) payload = r.type === 'update' ? bytesOf(r.payload) : (JSON.parse(r.payload.toString('utf8')) as JsonPayload)
  else payload = r.payload_bytes !== null ? bytesOf(r.payload_bytes) : (JSON.parse(r.payload_json!) as JsonPayload)
  return {
    roomId: r.room_id,
    seq: r.seq,
    ts: Number(r.ts),
    actor: {
      role: r.actor_role as ActorRole,
      name: r.actor_name,
      ...(r.actor_staff_id ? { staffId: r.actor_staff_id } : {}),
      ...(r.actor_org_id ? { orgId: r.actor_org_id } : {}),
    },
    type: r.type as EventType,
    payload,
    prevHash: r.prev_hash,
    hash: r.hash,
  }
}

export function rowToSnapshot(s: SnapshotRow): Snapshot {
  return { seq: s.seq, state: new Uint8Array(s.state), owners: JSON.parse(s.owners) as Record<string, ActorRole> }
}

export function rowToPresence(p: PresenceRow): PresenceRecord {
  return { role: p.actor_role as ActorRole, name: p.actor_name, dangling: (p.j ?? 0) > (p.l ?? 0) }
}

/** A room's generations from its invite_generations rows (roles never revoked stay at 0). */
export function rowsToGenerations(rows: readonly { role: string; generation: number }[]): InviteGenerations {
  const out: InviteGenerations = { ...NO_REVOCATIONS }
  for (const r of rows) if (r.role in out) out[r.role as Role] = r.generation
  return out
}

/** The stored form of a payload: the bytes of an update, the exact JSON text of anything else. */
export function storedPayload(e: NewEvent): { bytes: Buffer; json: null } | { bytes: null; json: string } {
  if (e.type === 'update') {
    if (!(e.payload instanceof Uint8Array)) throw new Error('an update event carries bytes')
    return { bytes: Buffer.from(e.payload.buffer, e.payload.byteOffset, e.payload.byteLength), json: null }
  }
  if (e.payload instanceof Uint8Array) throw new Error(`a ${e.type} event carries a JSON object`)
  return { bytes: null, json: JSON.stringify(e.payload) }
}

/** SQLite's one payload column: the bytes, or the JSON text as UTF-8. */
export function encodePayload(e: NewEvent): Buffer {
  const p = storedPayload(e)
  return p.bytes ?? Buffer.from(p.json, 'utf8')
}
