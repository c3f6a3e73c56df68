// The SQLite schema, shared by the reader (main thread) and the writer (worker); rows.ts maps its rows.
import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'

export const SCHEMA_VERSION = 5

const SCHEMA = `
CREATE TABLE IF NOT EXISTS rooms (
  id TEXT PRIMARY KEY,
  title TEXT NOT NULL,
  currency TEXT NOT NULL,
  phase TEXT NOT NULL DEFAULT 'negotiating',
  meta TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  agreement_hash TEXT
);
CREATE TABLE IF NOT EXISTS events (
  room_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  ts INTEGER NOT NULL,
  actor_role TEXT NOT NULL,
  actor_name TEXT NOT NULL,
  type TEXT NOT NULL,
  payload BLOB NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL,
  PRIMARY KEY (room_id, seq)
) WITHOUT ROWID;
-- Chat and system lines by type. Updates stay out of it: every index page an append touches is
-- another page in the fsynced WAL, and updates are the bulk of the log (load reads them by seq).
CREATE INDEX IF NOT EXISTS events_by_type ON events (room_id, type, seq) WHERE type <> 'update';
CREATE TRIGGER IF NOT EXISTS events_no_update BEFORE UPDATE ON events
  BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS events_no_delete BEFORE DELETE ON events
  BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
CREATE TABLE IF NOT EXISTS chat_ids (
  room_id TEXT NOT NULL,
  client_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  PRIMARY KEY (room_id, client_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS snapshots (
  room_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  state BLOB NOT NULL,
  owners TEXT NOT NULL,
  PRIMARY KEY (room_id, seq)
) WITHOUT ROWID;
-- Version 2: revoked invites (Store.revokeInvites); a token whose generation is lower than its role's row is refused.
CREATE TABLE IF NOT EXISTS invite_generations (
  room_id TEXT NOT NULL,
  role TEXT NOT NULL,
  generation INTEGER NOT NULL,
  revoked_at INTEGER NOT NULL,
  PRIMARY KEY (room_id, role)
) WITHOUT ROWID;
-- Version 3: the webhook outbox (server/webhooks), written in the transaction of the event that causes each row.
CREATE TABLE IF NOT EXISTS webhook_outbox (
  id TEXT PRIMARY KEY,
  room_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  type TEXT NOT NULL,
  body TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'pending',
  attempts INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  retry_from INTEGER NOT NULL,
  next_attempt_at INTEGER NOT NULL,
  claimed_by TEXT,
  claimed_until INTEGER,
  delivered_at INTEGER,
  last_error TEXT,
  last_status INTEGER,
  UNIQUE (room_id, seq)
);
CREATE INDEX IF NOT EXISTS webhook_outbox_due ON webhook_outbox (status, next_attempt_at);
-- Version 4: lender organisations, their staff, staff sessions and API keys (server/store/OrgStore.ts).
CREATE TABLE IF NOT EXISTS orgs (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  name_key TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL,
  oidc TEXT
);
CREATE TABLE IF NOT EXISTS staff (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL REFERENCES orgs (id),
  email TEXT NOT NULL,
  email_key TEXT NOT NULL,
  name TEXT NOT NULL,
  password_hash TEXT,
  roles TEXT NOT NULL,
  disabled INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  oidc_subject TEXT,
  UNIQUE (org_id, email_key)
);
CREATE INDEX IF NOT EXISTS staff_by_email ON staff (email_key);
CREATE UNIQUE INDEX IF NOT EXISTS staff_by_subject ON staff (org_id, oidc_subject) WHERE oidc_subject IS NOT NULL;
CREATE TABLE IF NOT EXISTS staff_sessions (
  id_hash TEXT PRIMARY KEY,
  staff_id TEXT NOT NULL REFERENCES staff (id),
  org_id TEXT NOT NULL,
  csrf_token TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS staff_sessions_by_staff ON staff_sessions (staff_id);
CREATE TABLE IF NOT EXISTS api_keys (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL REFERENCES orgs (id),
  name TEXT NOT NULL,
  prefix TEXT NOT NULL UNIQUE,
  hash TEXT NOT NULL,
  roles TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  revoked_at INTEGER
);
CREATE INDEX IF NOT EXISTS api_keys_by_org ON api_keys (org_id);
`

export type Synchronous = 'FULL' | 'NORMAL'

/** WAL pages between automatic checkpoints (see openDatabase). */
export const WAL_AUTOCHECKPOINT_PAGES = 100

/**
 * Opens (and creates or migrates) the database. WAL lets the main thread read while the writer
 * commits. synchronous=FULL fsyncs every commit: an update is broadcast only after it is
 * committed, so that commit must survive power loss too (NORMAL would only survive a crash).
 */
export function openDatabase(file: string, synchronous: Synchronous): Database.Database {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true })
  const db = new Database(file)
  db.pragma('journal_mode = WAL')
  db.pragma(`synchronous = ${synchronous}`)
  db.pragma('busy_timeout = 5000')
  // The automatic checkpoint runs inside the commit that crosses it, before that commit's updates are
  // broadcast: many small checkpoints (100 pages) instead of SQLite's 1000 keep that stall short.
  // bench:server, 200 rooms, same session: p99 ratio to the reference 1.49/1.66/1.72/2.09x at 100 pages
  // vs 2.01/2.27x at 1000; 50 pages was no better than 100 (1.76x).
  db.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`)
  const version = db.pragma('user_version', { simple: true }) as number
  if (version > SCHEMA_VERSION) throw new Error(`database schema ${version} is newer than this server (${SCHEMA_VERSION})`)
  db.exec(SCHEMA)
  addStaffActorColumns(db)
  db.pragma(`user_version = ${SCHEMA_VERSION}`)
  return db
}

/**
 * Version 5: the staff member in the lender's seat, beside the actor's role and name (both null for everyone
 * else). Added by ALTER, not in CREATE, so databases of every earlier version get them the same way; in one
 * immediate transaction because the reader and the writer worker open the file at the same time.
 */
function addStaffActorColumns(db: Database.Database): void {
  db.transaction(() => {
    const columns = new Set((db.prepare('PRAGMA table_info(events)').all() as { name: string }[]).map((c) => c.name))
    if (!columns.has('actor_staff_id')) db.exec('ALTER TABLE events ADD COLUMN actor_staff_id TEXT')
    if (!columns.has('actor_org_id')) db.exec('ALTER TABLE events ADD COLUMN actor_org_id TEXT')
  }).immediate()
}

/** A rooms row joined with its chain head (rows.ts RoomRow). */
export const ROOM_WITH_HEAD = `
  SELECT r.id, r.title, r.currency, r.phase, r.meta, r.created_at, r.agreement_hash,
         h.seq AS last_seq, h.hash AS last_hash, h.ts AS last_activity
  FROM rooms r
  LEFT JOIN events h ON h.room_id = r.id AND h.seq = (SELECT MAX(seq) FROM events WHERE room_id = r.id)`
