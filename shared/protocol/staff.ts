// Lender organisations and their staff: the HTTP contract of sign-in (/api/auth), staff and API-key
// administration (/api/org) and organisation bootstrap (/api/orgs), typed for server and client alike.

/** agent: creates rooms, takes the lender's seat; supervisor: every room of the organisation; auditor: read-only; admin: staff, keys, settings. */
export const STAFF_ROLES = ['agent', 'supervisor', 'auditor', 'admin'] as const
export type StaffRole = (typeof STAFF_ROLES)[number]

export function isStaffRole(x: unknown): x is StaffRole {
  return typeof x === 'string' && (STAFF_ROLES as readonly string[]).includes(x)
}

/** A staff member as the API shows them (never a password hash). */
export interface StaffView {
  id: string
  orgId: string
  email: string
  name: string
  roles: StaffRole[]
  disabled: boolean
  createdAt: number
  /** Has a local password (else signs in only through the organisation's identity provider). */
  hasPassword: boolean
}

/** Who is signed in: POST /api/auth/login and GET /api/auth/me. */
export interface SessionInfo {
  staff: { id: string; name: string; email: string; roles: StaffRole[]; orgId: string; orgName: string }
  /** Send it back as `X-CSRF-Token` on every state-changing request made with the session cookie. */
  csrfToken: string
  expiresAt: number
}

/** POST /api/auth/login. Without orgId/org the email is looked up in every organisation. */
export interface LoginRequest {
  email: string
  password: string
  orgId?: string
  /** The organisation's name (case-insensitive), instead of its id. */
  org?: string
}

/** POST /api/orgs (operator key): a new organisation, with its first admin when `admin` is given. */
export interface CreateOrgRequest {
  name: string
  admin?: { email: string; name: string; password: string }
}

export interface OrgView {
  id: string
  name: string
  createdAt: number
  /** Whether sign-in through the organisation's own identity provider is configured. */
  oidc: boolean
}

export interface CreateOrgResponse {
  org: OrgView
  admin?: StaffView
}

/** POST /api/org/staff (admin). Without a password the member signs in through the identity provider only. */
export interface CreateStaffRequest {
  email: string
  name: string
  roles: StaffRole[]
  password?: string
}

/** PATCH /api/org/staff/:id (admin). */
export interface UpdateStaffRequest {
  roles?: StaffRole[]
  disabled?: boolean
  name?: string
}

export interface StaffList {
  staff: StaffView[]
}

export interface ApiKeyView {
  id: string
  orgId: string
  name: string
  /** The public part of the key (`nrk_<prefix>_…`), to tell keys apart. */
  prefix: string
  roles: StaffRole[]
  createdAt: number
  revokedAt: number | null
}

/** POST /api/org/api-keys (admin). */
export interface CreateApiKeyRequest {
  name: string
  /** Default ['agent']: creates rooms and lists the ones it created. */
  roles?: StaffRole[]
}

/** The key itself is in this answer only; the server keeps its hash. */
export interface CreateApiKeyResponse {
  apiKey: ApiKeyView
  key: string
}

/** POST /api/auth/password: a signed-in member changes their own password. */
export interface ChangePasswordRequest {
  current: string
  password: string
}

export interface ApiKeyList {
  apiKeys: ApiKeyView[]
}
