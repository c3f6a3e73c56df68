// Organisations, staff, sessions and API keys on PostgreSQL: single statements on the pool, so every
// server process sees a session, a disabled member or a revoked key at once.
import type pg from 'pg'
import { rowToApiKey, rowToOrg, rowToSession, rowToStaff, type ApiKeyRow, type OrgRow, type SessionRow, type StaffRow } from './orgRows.ts'
import { emailKey, orgNameKey, type ApiKeyRecord, type StoredOidcConfig, type OrgRecord, type OrgStore, type SessionRecord, type StaffPatch, type StaffRecord } from './OrgStore.ts'

const ORG_COLUMNS = 'id, name, created_at, oidc'

export class PgOrgStore implements OrgStore {
  constructor(private readonly pool: pg.Pool) {}

  private async one<R extends pg.QueryResultRow, T>(name: string, text: string, values: unknown[], map: (r: R) => T): Promise<T | null> {
    const { rows } = await this.pool.query<R>({ name, text, values })
    return rows[0] ? map(rows[0]) : null
  }

  private async all<R extends pg.QueryResultRow, T>(name: string, text: string, values: unknown[], map: (r: R) => T): Promise<T[]> {
    const { rows } = await this.pool.query<R>({ name, text, values })
    return rows.map(map)
  }

  private async count(name: string, text: string, values: unknown[]): Promise<number> {
    return (await this.pool.query({ name, text, values })).rowCount ?? 0
  }

  createOrg(o: OrgRecord): Promise<OrgRecord | null> {
    return this.one<OrgRow, OrgRecord>(
      'org_create',
      `INSERT INTO orgs (id, name, name_key, created_at, oidc) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING RETURNING ${ORG_COLUMNS}`,
      [o.id, o.name, orgNameKey(o.name), o.createdAt, o.oidc ? JSON.stringify(o.oidc) : null],
      rowToOrg,
    )
  }

  getOrg(id: string): Promise<OrgRecord | null> {
    return this.one<OrgRow, OrgRecord>('org_get', `SELECT ${ORG_COLUMNS} FROM orgs WHERE id = $1`, [id], rowToOrg)
  }

  findOrgByName(name: string): Promise<OrgRecord | null> {
    return this.one<OrgRow, OrgRecord>('org_by_name', `SELECT ${ORG_COLUMNS} FROM orgs WHERE name_key = $1`, [orgNameKey(name)], rowToOrg)
  }

  listOrgs(): Promise<OrgRecord[]> {
    return this.all<OrgRow, OrgRecord>('org_list', `SELECT ${ORG_COLUMNS} FROM orgs ORDER BY created_at, id`, [], rowToOrg)
  }

  setOrgOidc(id: string, oidc: StoredOidcConfig | null): Promise<OrgRecord | null> {
    return this.one<OrgRow, OrgRecord>('org_set_oidc', `UPDATE orgs SET oidc = $2 WHERE id = $1 RETURNING ${ORG_COLUMNS}`, [id, oidc ? JSON.stringify(oidc) : null], rowToOrg)
  }

  createStaff(s: StaffRecord): Promise<StaffRecord | null> {
    return this.one<StaffRow, StaffRecord>(
      'staff_create',
      `INSERT INTO staff (id, org_id, email, email_key, name, password_hash, roles, disabled, created_at, oidc_subject)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT DO NOTHING RETURNING *`,
      [s.id, s.orgId, s.email, emailKey(s.email), s.name, s.passwordHash, JSON.stringify(s.roles), s.disabled, s.createdAt, s.oidcSubject],
      rowToStaff,
    )
  }

  getStaff(id: string): Promise<StaffRecord | null> {
    return this.one<StaffRow, StaffRecord>('staff_get', 'SELECT * FROM staff WHERE id = $1', [id], rowToStaff)
  }

  findStaffByEmail(orgId: string | null, email: string): Promise<StaffRecord[]> {
    return this.all<StaffRow, StaffRecord>(
      'staff_by_email',
      'SELECT * FROM staff WHERE email_key = $2 AND ($1::text IS NULL OR org_id = $1) ORDER BY created_at, id',
      [orgId, emailKey(email)],
      rowToStaff,
    )
  }

  findStaffBySubject(orgId: string, subject: string): Promise<StaffRecord | null> {
    return this.one<StaffRow, StaffRecord>('staff_by_subject', 'SELECT * FROM staff WHERE org_id = $1 AND oidc_subject = $2', [orgId, subject], rowToStaff)
  }

  listStaff(orgId: string): Promise<StaffRecord[]> {
    return this.all<StaffRow, StaffRecord>('staff_of_org', 'SELECT * FROM staff WHERE org_id = $1 ORDER BY created_at, id', [orgId], rowToStaff)
  }

  updateStaff(id: string, p: StaffPatch): Promise<StaffRecord | null> {
    return this.one<StaffRow, StaffRecord>(
      'staff_update',
      `UPDATE staff SET roles = COALESCE($2, roles), disabled = COALESCE($3, disabled), name = COALESCE($4, name),
         password_hash = CASE WHEN $5 THEN $6 ELSE password_hash END, oidc_subject = COALESCE($7, oidc_subject)
       WHERE id = $1 RETURNING *`,
      [id, p.roles ? JSON.stringify(p.roles) : null, p.disabled ?? null, p.name ?? null, p.passwordHash !== undefined, p.passwordHash ?? null, p.oidcSubject ?? null],
      rowToStaff,
    )
  }

  async createSession(s: SessionRecord): Promise<void> {
    await this.pool.query({
      name: 'session_create',
      text: 'INSERT INTO staff_sessions (id_hash, staff_id, org_id, csrf_token, created_at, expires_at, last_seen_at) VALUES ($1, $2, $3, $4, $5, $6, $7)',
      values: [s.idHash, s.staffId, s.orgId, s.csrfToken, s.createdAt, s.expiresAt, s.lastSeenAt],
    })
  }

  getSession(idHash: string): Promise<SessionRecord | null> {
    return this.one<SessionRow, SessionRecord>('session_get', 'SELECT * FROM staff_sessions WHERE id_hash = $1', [idHash], rowToSession)
  }

  async touchSession(idHash: string, lastSeenAt: number): Promise<void> {
    await this.count('session_touch', 'UPDATE staff_sessions SET last_seen_at = GREATEST(last_seen_at, $2) WHERE id_hash = $1', [idHash, lastSeenAt])
  }

  async deleteSession(idHash: string): Promise<void> {
    await this.count('session_delete', 'DELETE FROM staff_sessions WHERE id_hash = $1', [idHash])
  }

  deleteStaffSessions(staffId: string): Promise<number> {
    return this.count('session_delete_staff', 'DELETE FROM staff_sessions WHERE staff_id = $1', [staffId])
  }

  pruneSessions(now: number): Promise<number> {
    return this.count('session_prune', 'DELETE FROM staff_sessions WHERE expires_at <= $1', [now])
  }

  async createApiKey(k: ApiKeyRecord): Promise<void> {
    await this.pool.query({
      name: 'api_key_create',
      text: 'INSERT INTO api_keys (id, org_id, name, prefix, hash, roles, created_at, revoked_at) VALUES ($1, $2, $3, $4, $5, $6, $7, NULL)',
      values: [k.id, k.orgId, k.name, k.prefix, k.hash, JSON.stringify(k.roles), k.createdAt],
    })
  }

  findApiKey(prefix: string): Promise<ApiKeyRecord | null> {
    return this.one<ApiKeyRow, ApiKeyRecord>('api_key_by_prefix', 'SELECT * FROM api_keys WHERE prefix = $1', [prefix], rowToApiKey)
  }

  listApiKeys(orgId: string): Promise<ApiKeyRecord[]> {
    return this.all<ApiKeyRow, ApiKeyRecord>('api_keys_of_org', 'SELECT * FROM api_keys WHERE org_id = $1 ORDER BY created_at, id', [orgId], rowToApiKey)
  }

  revokeApiKey(orgId: string, id: string, at: number): Promise<ApiKeyRecord | null> {
    return this.one<ApiKeyRow, ApiKeyRecord>(
      'api_key_revoke',
      'UPDATE api_keys SET revoked_at = COALESCE(revoked_at, $3) WHERE id = $2 AND org_id = $1 RETURNING *',
      [orgId, id, at],
      rowToApiKey,
    )
  }
}
