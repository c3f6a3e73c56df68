// Every statement PgStore and PgWriter send, in one place (named, so each is prepared once per connection).
import { presenceSql } from './rows.ts'

const EVENT_COLUMNS = 'room_id, seq, ts, actor_role, actor_name, actor_staff_id, actor_org_id, type, payload_bytes, payload_json, prev_hash, hash'

const ROOM_WITH_HEAD = `
  SELECT r.id, r.title, r.currency, r.phase, r.meta, r.created_at, r.agreement_hash,
         h.seq AS last_seq, h.hash AS last_hash, h.ts AS last_activity
  FROM rooms r
  LEFT JOIN LATERAL (SELECT seq, hash, ts FROM events e WHERE e.room_id = r.id ORDER BY seq DESC LIMIT 1) h ON true`

export const SQL = {
  getRoom: `${ROOM_WITH_HEAD} WHERE r.id = $1`,
  // As SQLite sorts it: rooms without any event last.
  listRooms: `${ROOM_WITH_HEAD} ORDER BY h.ts DESC NULLS LAST`,
  lastChange: 'SELECT max(seq) AS seq FROM events WHERE room_id = $1 AND type = ANY($2::text[])',
  // In id order, so that two processes locking overlapping rooms never deadlock.
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
