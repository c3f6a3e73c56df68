// The organisation tables' rows as both stores read them (PostgreSQL answers bigint as text, SQLite booleans as 0/1).
import type { StaffRole } from '../../shared/protocol/staff.ts'
import type { ApiKeyRecord, StoredOidcConfig, OrgRecord, SessionRecord, StaffRecord } from './OrgStore.ts'

type Int = number | string

export interface OrgRow {
  id: string
  name: string
  created_at: Int
  oidc: string | null
}

export interface StaffRow {
  id: string
  org_id: string
  email: string
  name: string
  password_hash: string | null
  roles: string
  disabled: number | boolean
  created_at: Int
  oidc_subject: string | null
}

export interface SessionRow {
  id_hash: string
  staff_id: string
  org_id: string
  csrf_token: string
  created_at: Int
  expires_at: Int
  last_seen_at: Int
}

export interface ApiKeyRow {
  id: string
  org_id: string
  name: string
  prefix: string
  hash: string
  roles: string
  created_at: Int
  revoked_at: Int | null
}

export function rowToOrg(r: OrgRow): OrgRecord {
  return { id: r.id, name: r.name, createdAt: Number(r.created_at), oidc: r.oidc === null ? null : (JSON.parse(r.oidc) as StoredOidcConfig) }
}

export function rowToStaff(r: StaffRow): StaffRecord {
  return {
    id: r.id,
    orgId: r.org_id,
    email: r.email,
    name: r.name,
    passwordHash: r.password_hash,
    roles: JSON.parse(r.roles) as StaffRole[],
    disabled: r.disabled === true || r.disabled === 1,
    createdAt: Number(r.created_at),
    oidcSubject: r.oidc_subject,
  }
}

export function rowToSession(r: SessionRow): SessionRecord {
  return {
    idHash: r.id_hash,
    staffId: r.staff_id,
    orgId: r.org_id,
    csrfToken: r.csrf_token,
    createdAt: Number(r.created_at),
    expiresAt: Number(r.expires_at),
    lastSeenAt: Number(r.last_seen_at),
  }
}

export function rowToApiKey(r: ApiKeyRow): ApiKeyRecord {
  return {
    id: r.id,
    orgId: r.org_id,
    name: r.name,
    prefix: r.prefix,
    hash: r.hash,
    roles: JSON.parse(r.roles) as StaffRole[],
    createdAt: Number(r.created_at),
    revokedAt: r.revoked_at === null ? null : Number(r.revoked_at),
  }
}
