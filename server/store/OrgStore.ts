// Organisations, their staff, staff sessions and API keys: the part of the Store sign-in and
// administration use (server/org). Sessions live here, not in a process's memory, so that every
// server process on one PostgreSQL honours them.
import type { OrgOidcConfig } from '../../shared/protocol/oidc.ts'
import type { StaffRole } from '../../shared/protocol/staff.ts'

/**
 * An organisation's identity provider as kept: the client secret only sealed with a key from the server's
 * SECRET (server/org/OidcSettings.ts), so a copy of the database does not hand it over.
 */
export type StoredOidcConfig = Omit<OrgOidcConfig, 'clientSecret'> & { sealedClientSecret: string }

export interface OrgRecord {
  id: string
  name: string
  createdAt: number
  oidc: StoredOidcConfig | null
}

export interface StaffRecord {
  id: string
  orgId: string
  /** As given; uniqueness within the organisation is on its lower case (emailKey). */
  email: string
  name: string
  /** argon2id (PHC string); null: signs in only through the identity provider. */
  passwordHash: string | null
  roles: StaffRole[]
  disabled: boolean
  createdAt: number
  /** `<issuer> <sub>` of the identity this member was linked to at their first sign-in through the identity provider. */
  oidcSubject: string | null
}

export interface StaffPatch {
  roles?: StaffRole[]
  disabled?: boolean
  name?: string
  passwordHash?: string | null
  oidcSubject?: string
}

export interface SessionRecord {
  /** SHA-256 (hex) of the cookie's value: the database never holds a usable session. */
  idHash: string
  staffId: string
  orgId: string
  csrfToken: string
  createdAt: number
  /** The absolute end (SESSION_TTL_HOURS after sign-in); the idle end is lastSeenAt + SESSION_IDLE_MINUTES. */
  expiresAt: number
  lastSeenAt: number
}

export interface ApiKeyRecord {
  id: string
  orgId: string
  name: string
  /** The key's public part, unique: how a presented key finds its row. */
  prefix: string
  /** SHA-256 (hex) of the whole key. */
  hash: string
  roles: StaffRole[]
  createdAt: number
  revokedAt: number | null
}

/** Lower-cased and trimmed: the form e-mail addresses are compared in. */
export function emailKey(email: string): string {
  return email.trim().toLowerCase()
}

/** Lower-cased and trimmed organisation name: two organisations cannot differ by case alone. */
export function orgNameKey(name: string): string {
  return name.trim().toLowerCase()
}

export interface OrgStore {
  /** null: an organisation of that name (case-insensitive) exists. */
  createOrg(org: OrgRecord): Promise<OrgRecord | null>
  getOrg(id: string): Promise<OrgRecord | null>
  findOrgByName(name: string): Promise<OrgRecord | null>
  listOrgs(): Promise<OrgRecord[]>
  setOrgOidc(id: string, oidc: StoredOidcConfig | null): Promise<OrgRecord | null>
  /** null: the organisation already has a member with that e-mail (case-insensitive). */
  createStaff(staff: StaffRecord): Promise<StaffRecord | null>
  getStaff(id: string): Promise<StaffRecord | null>
  /** Members with this e-mail: in one organisation, or (orgId null) in any. */
  findStaffByEmail(orgId: string | null, email: string): Promise<StaffRecord[]>
  findStaffBySubject(orgId: string, subject: string): Promise<StaffRecord | null>
  listStaff(orgId: string): Promise<StaffRecord[]>
  updateStaff(id: string, patch: StaffPatch): Promise<StaffRecord | null>
  createSession(session: SessionRecord): Promise<void>
  getSession(idHash: string): Promise<SessionRecord | null>
  touchSession(idHash: string, lastSeenAt: number): Promise<void>
  deleteSession(idHash: string): Promise<void>
  /** Every session of one member (disabled, or signed out everywhere); answers how many. */
  deleteStaffSessions(staffId: string): Promise<number>
  /** Sessions past `now` (absolute end) are deleted; answers how many. */
  pruneSessions(now: number): Promise<number>
  createApiKey(key: ApiKeyRecord): Promise<void>
  findApiKey(prefix: string): Promise<ApiKeyRecord | null>
  listApiKeys(orgId: string): Promise<ApiKeyRecord[]>
  /** null: no such key in this organisation. A key revoked before keeps its first revokedAt. */
  revokeApiKey(orgId: string, id: string, at: number): Promise<ApiKeyRecord | null>
}
