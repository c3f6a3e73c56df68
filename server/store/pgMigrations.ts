// The PostgreSQL schema as numbered migrations, applied at start-up. All pending migrations run
// in one transaction under an advisory lock, so two processes starting at once neither race nor
// see a half-made schema; a database migrated by a newer server is refused, not guessed at.
import type pg from 'pg'

export interface Migration {
  version: number
  name: string
  sql: string
}

/** Any fixed 64-bit key: the lock only has to be the same for every server of this product. */
const MIGRATION_LOCK = 7_461_626_771_302_011

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'rooms, hash-chained append-only events, snapshots',
    sql: `
CREATE TABLE rooms (
  id text PRIMARY KEY,
  title text NOT NULL,
  currency text NOT NULL,
  phase text NOT NULL DEFAULT 'negotiating',
  meta text NOT NULL,
  created_at bigint NOT NULL,
  agreement_hash text
);

-- JSON payloads are stored as the exact text that was hashed (jsonb would reorder keys and
-- normalise numbers); update payloads are the Yjs bytes.
CREATE TABLE events (
  room_id text NOT NULL REFERENCES rooms (id),
  seq integer NOT NULL CHECK (seq > 0),
  ts bigint NOT NULL,
  actor_role text NOT NULL,
  actor_name text NOT NULL,
  type text NOT NULL,
  payload_bytes bytea,
  payload_json text,
  client_id text,
  prev_hash text NOT NULL,
  hash text NOT NULL,
  PRIMARY KEY (room_id, seq),
  CONSTRAINT events_payload_kind CHECK (
    CASE WHEN type = 'update' THEN payload_bytes IS NOT NULL AND payload_json IS NULL
         ELSE payload_bytes IS NULL AND payload_json IS NOT NULL END),
  CONSTRAINT events_client_id_chat CHECK (client_id IS NULL OR type = 'chat')
);
-- Chat idempotency: one message per (room, clientId).
CREATE UNIQUE INDEX events_chat_client_id ON events (room_id, client_id) WHERE client_id IS NOT NULL;
-- Chat and system lines by type (updates, the bulk of the log, are read by seq).
CREATE INDEX events_by_type ON events (room_id, type, seq) WHERE type <> 'update';

CREATE FUNCTION events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the event log is append-only' USING ERRCODE = 'restrict_violation';
END $$;
CREATE TRIGGER events_no_update BEFORE UPDATE OR DELETE ON events
  FOR EACH ROW EXECUTE FUNCTION events_append_only();
CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events
  FOR EACH STATEMENT EXECUTE FUNCTION events_append_only();

-- The chain's links, checked by the database itself: seq follows the last one without a gap and
-- prevHash is its hash (the hash of the content is the application's, computed before insert).
CREATE FUNCTION events_chain_link() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  last_seq integer;
  last_hash text;
BEGIN
  SELECT seq, hash INTO last_seq, last_hash FROM events WHERE room_id = NEW.room_id ORDER BY seq DESC LIMIT 1;
  IF NEW.seq <> COALESCE(last_seq, 0) + 1 OR NEW.prev_hash <> COALESCE(last_hash, repeat('0', 64)) THEN
    RAISE EXCEPTION 'event % of room % does not follow the chain head (seq %)', NEW.seq, NEW.room_id, COALESCE(last_seq, 0)
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER events_chain BEFORE INSERT ON events
  FOR EACH ROW EXECUTE FUNCTION events_chain_link();

CREATE TABLE snapshots (
  room_id text NOT NULL REFERENCES rooms (id),
  seq integer NOT NULL,
  state bytea NOT NULL,
  owners text NOT NULL,
  PRIMARY KEY (room_id, seq)
);
`,
  },
  {
    version: 2,
    name: 'revoked invites (invite generation per room and role)',
    sql: `
CREATE TABLE invite_generations (
  room_id text NOT NULL REFERENCES rooms (id),
  role text NOT NULL CHECK (role IN ('borrower', 'lender', 'observer')),
  generation integer NOT NULL CHECK (generation > 0),
  revoked_at bigint NOT NULL,
  PRIMARY KEY (room_id, role)
);
`,
  },
  {
    version: 3,
    name: 'webhook outbox (written in the transaction of the event that causes each row)',
    sql: `
CREATE TABLE webhook_outbox (
  id text PRIMARY KEY,
  room_id text NOT NULL REFERENCES rooms (id),
  seq integer NOT NULL,
  type text NOT NULL,
  body text NOT NULL,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
  attempts integer NOT NULL DEFAULT 0,
  created_at bigint NOT NULL,
  retry_from bigint NOT NULL,
  next_attempt_at bigint NOT NULL,
  claimed_by text,
  claimed_until bigint,
  delivered_at bigint,
  last_error text,
  last_status integer,
  UNIQUE (room_id, seq)
);
CREATE INDEX webhook_outbox_due ON webhook_outbox (status, next_attempt_at);
`,
  },
  {
    version: 4,
    name: 'lender organisations, staff, staff sessions and API keys',
    sql: `
CREATE TABLE orgs (
  id text PRIMARY KEY,
  name text NOT NULL,
  name_key text NOT NULL UNIQUE,
  created_at bigint NOT NULL,
  oidc text
);
CREATE TABLE staff (
  id text PRIMARY KEY,
  org_id text NOT NULL REFERENCES orgs (id),
  email text NOT NULL,
  email_key text NOT NULL,
  name text NOT NULL,
  password_hash text,
  roles text NOT NULL,
  disabled boolean NOT NULL DEFAULT false,
  created_at bigint NOT NULL,
  oidc_subject text,
  UNIQUE (org_id, email_key)
);
CREATE INDEX staff_by_email ON staff (email_key);
CREATE UNIQUE INDEX staff_by_subject ON staff (org_id, oidc_subject) WHERE oidc_subject IS NOT NULL;
CREATE TABLE staff_sessions (
  id_hash text PRIMARY KEY,
  staff_id text NOT NULL REFERENCES staff (id),
  org_id text NOT NULL REFERENCES orgs (id),
  csrf_token text NOT NULL,
  created_at bigint NOT NULL,
  expires_at bigint NOT NULL,
  last_seen_at bigint NOT NULL
);
CREATE INDEX staff_sessions_by_staff ON staff_sessions (staff_id);
CREATE TABLE api_keys (
  id text PRIMARY KEY,
  org_id text NOT NULL REFERENCES orgs (id),
  name text NOT NULL,
  prefix text NOT NULL UNIQUE,
  hash text NOT NULL,
  roles text NOT NULL,
  created_at bigint NOT NULL,
  revoked_at bigint
);
CREATE INDEX api_keys_by_org ON api_keys (org_id);
`,
  },
  {
    version: 5,
    name: 'the staff member in the lender seat beside each event actor',
    sql: `
ALTER TABLE events ADD COLUMN actor_staff_id text;
ALTER TABLE events ADD COLUMN actor_org_id text;
`,
  },
]

export interface MigrationResult {
  /** Versions applied by this call (empty when the schema was already current). */
  applied: number[]
  version: number
}

/** Brings the database to the latest schema; safe to call from several processes at once. */
export async function migrate(pool: pg.Pool, migrations: readonly Migration[] = MIGRATIONS): Promise<MigrationResult> {
  const latest = migrations.reduce((v, m) => Math.max(v, m.version), 0)
  const client = await pool.connect()
  let failed = false
  try {
    await client.query('BEGIN')
    // Held until COMMIT/ROLLBACK: a second starter waits here, then finds nothing left to do.
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK])
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY,
      name text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now())`)
    const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version')
    const done = new Set(rows.map((r) => r.version))
    const newest = rows.at(-1)?.version ?? 0
    if (newest > latest) throw new Error(`database schema ${newest} is newer than this server (${latest})`)
    const applied: number[] = []
    for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
      if (done.has(m.version)) continue
      await client.query(m.sql)
      await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name])
      applied.push(m.version)
    }
    await client.query('COMMIT')
    return { applied, version: latest }
  } catch (err) {
    failed = true
    await client.query('ROLLBACK').catch(() => {})
    throw err
  } finally {
    client.release(failed)
  }
}
