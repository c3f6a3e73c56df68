// Organisations, staff, sessions and API keys on SQLite: writes go through the store's one writer (like
// every write to the file), reads use the reading connection.
import type Database from 'better-sqlite3'
import type { StaffRole } from '../../shared/protocol/staff.ts'
import { rowToApiKey, rowToOrg, rowToSession, rowToStaff, type ApiKeyRow, type OrgRow, type SessionRow, type StaffRow } from './orgRows.ts'
import { emailKey, orgNameKey, type ApiKeyRecord, type StoredOidcConfig, type OrgRecord, type OrgStore, type SessionRecord, type StaffPatch, type StaffRecord } from './OrgStore.ts'

/** The organisation calls that write, as the store sends them to its writer; each answers the rows it changed. */
export type OrgWrite =
  | { kind: 'createOrg'; org: OrgRecord }
  | { kind: 'setOrgOidc'; id: string; oidc: StoredOidcConfig | null }
  | { kind: 'createStaff'; staff: StaffRecord }
  | { kind: 'updateStaff'; id: string; patch: StaffPatch }
  | { kind: 'createSession'; session: SessionRecord }
  | { kind: 'touchSession'; idHash: string; lastSeenAt: number }
  | { kind: 'deleteSession'; idHash: string }
  | { kind: 'deleteStaffSessions'; staffId: string }
  | { kind: 'pruneSessions'; now: number }
  | { kind: 'createApiKey'; key: ApiKeyRecord }
  | { kind: 'revokeApiKey'; orgId: string; id: string; at: number }

const roles = (r: readonly StaffRole[]): string => JSON.stringify(r)

export class SqliteOrgWriter {
  private readonly stmt

  constructor(db: Database.Database) {
    this.stmt = {
      createOrg: db.prepare('INSERT INTO orgs (id, name, name_key, created_at, oidc) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING'),
      setOrgOidc: db.prepare('UPDATE orgs SET oidc = ? WHERE id = ?'),
      createStaff: db.prepare(
        `INSERT INTO staff (id, org_id, email, email_key, name, password_hash, roles, disabled, created_at, oidc_subject)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
      ),
      updateStaff: db.prepare(
        `UPDATE staff SET roles = COALESCE(@roles, roles), disabled = COALESCE(@disabled, disabled), name = COALESCE(@name, name),
           password_hash = CASE WHEN @setPassword THEN @passwordHash ELSE password_hash END, oidc_subject = COALESCE(@oidcSubject, oidc_subject)
         WHERE id = @id`,
      ),
      createSession: db.prepare(
        'INSERT INTO staff_sessions (id_hash, staff_id, org_id, csrf_token, created_at, expires_at, last_seen_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      touchSession: db.prepare('UPDATE staff_sessions SET last_seen_at = MAX(last_seen_at, ?) WHERE id_hash = ?'),
      deleteSession: db.prepare('DELETE FROM staff_sessions WHERE id_hash = ?'),
      deleteStaffSessions: db.prepare('DELETE FROM staff_sessions WHERE staff_id = ?'),
      pruneSessions: db.prepare('DELETE FROM staff_sessions WHERE expires_at <= ?'),
      createApiKey: db.prepare('INSERT INTO api_keys (id, org_id, name, prefix, hash, roles, created_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?, ?, NULL)'),
      revokeApiKey: db.prepare('UPDATE api_keys SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ? AND org_id = ?'),
    }
  }

  run(w: OrgWrite): number {
    switch (w.kind) {
      case 'createOrg': {
        const o = w.org
        return this.stmt.createOrg.run(o.id, o.name, orgNameKey(o.name), o.createdAt, o.oidc ? JSON.stringify(o.oidc) : null).changes
      }
      case 'setOrgOidc':
        return this.stmt.setOrgOidc.run(w.oidc ? JSON.stringify(w.oidc) : null, w.id).changes
      case 'createStaff': {
        const s = w.staff
        return this.stmt.createStaff.run(s.id, s.orgId, s.email, emailKey(s.email), s.name, s.passwordHash, roles(s.roles), s.disabled ? 1 : 0, s.createdAt, s.oidcSubject).changes
      }
      case 'updateStaff': {
        const p = w.patch
        return this.stmt.updateStaff.run({
          id: w.id,
          roles: p.roles ? roles(p.roles) : null,
          disabled: p.disabled === undefined ? null : p.disabled ? 1 : 0,
          name: p.name ?? null,
          setPassword: p.passwordHash === undefined ? 0 : 1,
          passwordHash: p.passwordHash ?? null,
          oidcSubject: p.oidcSubject ?? null,
        }).changes
      }
      case 'createSession': {
        const s = w.session
        return this.stmt.createSession.run(s.idHash, s.staffId, s.orgId, s.csrfToken, s.createdAt, s.expiresAt, s.lastSeenAt).changes
      }
      case 'touchSession':
        return this.stmt.touchSession.run(w.lastSeenAt, w.idHash).changes
      case 'deleteSession':
        return this.stmt.deleteSession.run(w.idHash).changes
      case 'deleteStaffSessions':
        return this.stmt.deleteStaffSessions.run(w.staffId).changes
      case 'pruneSessions':
        return this.stmt.pruneSessions.run(w.now).changes
      case 'createApiKey': {
        const k = w.key
        return this.stmt.createApiKey.run(k.id, k.orgId, k.name, k.prefix, k.hash, roles(k.roles), k.createdAt).changes
      }
      case 'revokeApiKey':
        return this.stmt.revokeApiKey.run(w.at, w.id, w.orgId).changes
    }
  }
}

/** The OrgStore of a SqliteStore: `write` sends an OrgWrite to its writer. */
export function sqliteOrgStore(db: Database.Database, write: (w: OrgWrite) => Promise<number>): OrgStore {
  const q = {
    org: db.prepare<[string], OrgRow>('SELECT id, name, created_at, oidc FROM orgs WHERE id = ?'),
    orgByName: db.prepare<[string], OrgRow>('SELECT id, name, created_at, oidc FROM orgs WHERE name_key = ?'),
    orgs: db.prepare<[], OrgRow>('SELECT id, name, created_at, oidc FROM orgs ORDER BY created_at, id'),
    staff: db.prepare<[string], StaffRow>('SELECT * FROM staff WHERE id = ?'),
    staffByEmail: db.prepare<[string], StaffRow>('SELECT * FROM staff WHERE email_key = ? ORDER BY created_at, id'),
    staffByOrgEmail: db.prepare<[string, string], StaffRow>('SELECT * FROM staff WHERE org_id = ? AND email_key = ?'),
    staffBySubject: db.prepare<[string, string], StaffRow>('SELECT * FROM staff WHERE org_id = ? AND oidc_subject = ?'),
    staffOfOrg: db.prepare<[string], StaffRow>('SELECT * FROM staff WHERE org_id = ? ORDER BY created_at, id'),
    session: db.prepare<[string], SessionRow>('SELECT * FROM staff_sessions WHERE id_hash = ?'),
    apiKey: db.prepare<[string], ApiKeyRow>('SELECT * FROM api_keys WHERE prefix = ?'),
    apiKeyById: db.prepare<[string, string], ApiKeyRow>('SELECT * FROM api_keys WHERE id = ? AND org_id = ?'),
    apiKeysOfOrg: db.prepare<[string], ApiKeyRow>('SELECT * FROM api_keys WHERE org_id = ? ORDER BY created_at, id'),
  }
  const getOrg = async (id: string): Promise<OrgRecord | null> => {
    const r = q.org.get(id)
    return r ? rowToOrg(r) : null
  }
  const getStaff = async (id: string): Promise<StaffRecord | null> => {
    const r = q.staff.get(id)
    return r ? rowToStaff(r) : null
  }
  return {
    createOrg: async (org) => ((await write({ kind: 'createOrg', org })) > 0 ? getOrg(org.id) : null),
    getOrg,
    findOrgByName: async (name) => {
      const r = q.orgByName.get(orgNameKey(name))
      return r ? rowToOrg(r) : null
    },
    listOrgs: async () => q.orgs.all().map(rowToOrg),
    setOrgOidc: async (id, oidc) => ((await write({ kind: 'setOrgOidc', id, oidc })) > 0 ? getOrg(id) : null),
    createStaff: async (staff) => ((await write({ kind: 'createStaff', staff })) > 0 ? getStaff(staff.id) : null),
    getStaff,
    findStaffByEmail: async (orgId, email) =>
      (orgId === null ? q.staffByEmail.all(emailKey(email)) : q.staffByOrgEmail.all(orgId, emailKey(email))).map(rowToStaff),
    findStaffBySubject: async (orgId, subject) => {
      const r = q.staffBySubject.get(orgId, subject)
      return r ? rowToStaff(r) : null
    },
    listStaff: async (orgId) => q.staffOfOrg.all(orgId).map(rowToStaff),
    updateStaff: async (id, patch) => ((await write({ kind: 'updateStaff', id, patch })) > 0 ? getStaff(id) : null),
    createSession: async (session) => {
      await write({ kind: 'createSession', session })
    },
    getSession: async (idHash) => {
      const r = q.session.get(idHash)
      return r ? rowToSession(r) : null
    },
    touchSession: async (idHash, lastSeenAt) => {
      await write({ kind: 'touchSession', idHash, lastSeenAt })
    },
    deleteSession: async (idHash) => {
      await write({ kind: 'deleteSession', idHash })
    },
    deleteStaffSessions: (staffId) => write({ kind: 'deleteStaffSessions', staffId }),
    pruneSessions: (now) => write({ kind: 'pruneSessions', now }),
    createApiKey: async (key) => {
      await write({ kind: 'createApiKey', key })
    },
    findApiKey: async (prefix) => {
      const r = q.apiKey.get(prefix)
      return r ? rowToApiKey(r) : null
    },
    listApiKeys: async (orgId) => q.apiKeysOfOrg.all(orgId).map(rowToApiKey),
    revokeApiKey: async (orgId, id, at) => {
      await write({ kind: 'revokeApiKey', orgId, id, at })
      const r = q.apiKeyById.get(id, orgId)
      return r ? rowToApiKey(r) : null
    },
  }
}
