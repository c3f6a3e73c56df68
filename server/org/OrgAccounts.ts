// Organisations, staff, sessions and API keys: the rules (who may sign in, what a session is worth,
// what a key opens) over the store's OrgStore. HTTP (server/http/staffAuth.ts, orgAdmin.ts), the
// principal resolver and the CLI (cli/admin.ts) call this; it knows no requests or cookies.
import { randomUUID } from 'node:crypto'
import { refuse, type Refusal } from '../../shared/protocol/errors.ts'
import type { OidcErrorCode, OidcRefusal } from '../../shared/protocol/oidc.ts'
import type { ApiKeyView, OrgView, SessionInfo, StaffRole, StaffView } from '../../shared/protocol/staff.ts'
import type { ApiKeyRecord, OrgRecord, OrgStore, SessionRecord, StaffPatch, StaffRecord } from '../store/OrgStore.ts'
import { apiKeyMatches, apiKeyPrefix, generateApiKey } from './apiKeys.ts'
import { hashPassword, verifyDecoy, verifyPassword } from './passwords.ts'
import { newSessionSecret, sessionIdHash } from './sessionTokens.ts'

export interface SessionPolicy {
  /** A session ends this long after sign-in, whatever happens. */
  ttlMs: number
  /** … or this long after its last request. */
  idleMs: number
}

/** What the OpenID Connect callback hands over once it has verified the ID token (server/auth/oidc). */
export interface VerifiedIdentity {
  orgId: string
  /** The member's lasting id at the identity provider: `<issuer> <sub>` from the OIDC callback (a sub is unique only per issuer). */
  subject: string
  email: string
  /** The provider vouches that the person controls `email` (`email_verified`); only then may it link an existing member. */
  emailVerified: boolean
  name: string
  /** From the organisation's configured roles claim; absent: the roles an admin set are kept. */
  roles?: StaffRole[]
}

/** Why a verified identity still gets no session (the OIDC callback redirects with the code). */
export type IdentityRefusal = OidcRefusal & { ok: false }

function refuseIdentity(error: OidcErrorCode, message: string): IdentityRefusal {
  return { ok: false, error, message }
}

/** A signed-in member: the session, who they are now (roles, disabled are read afresh) and their organisation. */
export interface StaffSession {
  session: SessionRecord
  staff: StaffRecord
  org: OrgRecord
}

/** A new session: the cookie's value (shown once) and what the browser is told. */
export interface StartedSession {
  token: string
  info: SessionInfo
}

export interface ResolvedApiKey {
  key: ApiKeyRecord
  org: OrgRecord
}

export interface NewStaff {
  email: string
  name: string
  roles: StaffRole[]
  password?: string
}

/** A session's last-seen time is written at most this often (a request per page would otherwise write per request). */
const TOUCH_EVERY_MS = 60_000
/** Accounts tried per sign-in without an organisation: one e-mail in several organisations. */
const MAX_CANDIDATES = 5
/** Ended sessions are deleted at a sign-in, at most this often per process (a resolved session checks its own end). */
const PRUNE_EVERY_MS = 3600_000

export class OrgAccounts {
  private prunedAt = 0

  constructor(
    readonly store: OrgStore,
    private readonly policy: SessionPolicy,
    private readonly now: () => number = Date.now,
  ) {}

  // ---- organisations

  async createOrg(name: string): Promise<OrgRecord | Refusal> {
    const org = await this.store.createOrg({ id: `org_${randomUUID()}`, name: name.trim(), createdAt: this.now(), oidc: null })
    return org ?? refuse('already_exists', `an organisation named "${name.trim()}" exists`)
  }

  /** The organisation of that name, made if there is none (the CLI's first admin). */
  async ensureOrg(name: string): Promise<{ org: OrgRecord; created: boolean }> {
    const found = await this.store.findOrgByName(name)
    if (found) return { org: found, created: false }
    const made = await this.createOrg(name)
    if (!('ok' in made)) return { org: made, created: true }
    // Made by someone else in between.
    const again = await this.store.findOrgByName(name)
    if (!again) throw new Error(`organisation "${name}" could be neither created nor found`)
    return { org: again, created: false }
  }

  // ---- staff

  async createStaff(orgId: string, s: NewStaff): Promise<StaffRecord | Refusal> {
    const staff = await this.store.createStaff({
      id: `stf_${randomUUID()}`,
      orgId,
      email: s.email.trim(),
      name: s.name.trim(),
      passwordHash: s.password === undefined ? null : await hashPassword(s.password),
      roles: [...s.roles],
      disabled: false,
      createdAt: this.now(),
      oidcSubject: null,
    })
    return staff ?? refuse('already_exists', 'a member of this organisation has this e-mail address')
  }

  /**
   * Roles, name or disabled, by an admin of the member's organisation. Disabling ends the member's sessions
   * at once; no change may leave the organisation without an enabled admin (nobody could manage it then).
   */
  async updateStaff(orgId: string, id: string, patch: Pick<StaffPatch, 'roles' | 'disabled' | 'name'>): Promise<StaffRecord | Refusal> {
    const current = await this.store.getStaff(id)
    if (!current || current.orgId !== orgId) return refuse('not_found', 'no such member in this organisation')
    const staysAdmin = !(patch.disabled ?? current.disabled) && (patch.roles ?? current.roles).includes('admin')
    if (isActiveAdmin(current) && !staysAdmin) {
      const others = (await this.store.listStaff(orgId)).filter((s) => s.id !== id && isActiveAdmin(s))
      if (others.length === 0) return refuse('forbidden', 'the organisation would be left without an admin')
    }
    const updated = await this.store.updateStaff(id, patch)
    if (!updated) return refuse('not_found', 'no such member in this organisation')
    if (updated.disabled) await this.store.deleteStaffSessions(id)
    return updated
  }

  /**
   * A member's own new password, given their current one (a member without a password has none to give: they
   * sign in through the identity provider). Every other session of theirs ends; `keep` (the one asking) stays.
   */
  async changePassword(staff: StaffRecord, current: string, password: string, keep: SessionRecord): Promise<true | Refusal> {
    const fresh = await this.store.getStaff(staff.id)
    if (!fresh?.passwordHash || !(await verifyPassword(fresh.passwordHash, current))) return refuse('forbidden', 'the current password is wrong')
    await this.store.updateStaff(staff.id, { passwordHash: await hashPassword(password) })
    await this.store.deleteStaffSessions(staff.id)
    await this.store.createSession(keep)
    return true
  }

  // ---- signing in

  /**
   * The member whose password this is, or null: unknown e-mail, wrong password, a disabled member or one
   * without a password all answer null after the same work (one argon2 verification at least).
   */
  async checkPassword(email: string, password: string, where: { orgId?: string; org?: string }): Promise<StaffRecord | null> {
    let orgId: string | null = where.orgId ?? null
    if (orgId === null && where.org !== undefined) orgId = (await this.store.findOrgByName(where.org))?.id ?? `unknown:${where.org}`
    const candidates = (await this.store.findStaffByEmail(orgId, email)).filter((s) => s.passwordHash !== null).slice(0, MAX_CANDIDATES)
    if (candidates.length === 0) return verifyDecoy(password).then(() => null)
    for (const s of candidates) if ((await verifyPassword(s.passwordHash!, password)) && !s.disabled) return s
    return null
  }

  /** Starts a session for a member who has just proved who they are (a password, or the identity provider). */
  async startSession(staff: StaffRecord): Promise<StartedSession> {
    const org = await this.store.getOrg(staff.orgId)
    if (!org) throw new Error(`member ${staff.id} has no organisation`)
    const secret = newSessionSecret()
    const now = this.now()
    const session: SessionRecord = {
      idHash: secret.idHash,
      staffId: staff.id,
      orgId: staff.orgId,
      csrfToken: secret.csrfToken,
      createdAt: now,
      expiresAt: now + this.policy.ttlMs,
      lastSeenAt: now,
    }
    await this.store.createSession(session)
    if (now - this.prunedAt >= PRUNE_EVERY_MS) {
      this.prunedAt = now
      await this.store.pruneSessions(now)
    }
    return { token: secret.token, info: this.sessionInfo({ session, staff, org }) }
  }

  /**
   * The seam the OpenID Connect callback calls with an identity it has verified: finds the member (by the
   * provider's subject, else by e-mail, which links the subject), or creates them (roles from the claim,
   * else none until an admin gives some), and starts a session. Linking by e-mail needs the provider to mark
   * the address verified: otherwise anyone who may type that address into their IdP profile would take over
   * the member's account (and their password-made rooms). A new member may have an unverified address (some
   * IdPs, such as Entra ID, never send email_verified): the address then reaches no one else's account.
   */
  async signInIdentity(id: VerifiedIdentity): Promise<StartedSession | IdentityRefusal> {
    const org = await this.store.getOrg(id.orgId)
    if (!org) return refuseIdentity('oidc_account_disabled', 'no such organisation')
    let staff = await this.store.findStaffBySubject(id.orgId, id.subject)
    if (!staff) {
      const [byEmail] = await this.store.findStaffByEmail(id.orgId, id.email)
      if (byEmail?.oidcSubject) return refuseIdentity('oidc_email_taken', 'this e-mail address belongs to another identity of the provider')
      if (byEmail && !id.emailVerified) {
        return refuseIdentity('oidc_email_unverified', 'a member has this e-mail address, but the identity provider does not say it is verified; verify it there, or ask an admin')
      }
      staff = byEmail ? await this.store.updateStaff(byEmail.id, { oidcSubject: id.subject }) : null
    }
    if (!staff) {
      staff = await this.store.createStaff({
        id: `stf_${randomUUID()}`,
        orgId: id.orgId,
        email: id.email.trim(),
        name: id.name.trim() || id.email.trim(),
        passwordHash: null,
        roles: id.roles ?? [],
        disabled: false,
        createdAt: this.now(),
        oidcSubject: id.subject,
      })
      if (!staff) return refuseIdentity('oidc_email_taken', 'a member with this e-mail address was created at the same time; sign in again')
    } else if (id.roles) {
      staff = (await this.store.updateStaff(staff.id, { roles: id.roles })) ?? staff
    }
    if (staff.disabled) return refuseIdentity('oidc_account_disabled', 'this account is disabled')
    return this.startSession(staff)
  }

  /** The session of a cookie's value, or null (unknown, ended, idle too long, member disabled or gone). */
  async resolveSession(token: string): Promise<StaffSession | null> {
    const idHash = sessionIdHash(token)
    const session = await this.store.getSession(idHash)
    if (!session) return null
    const now = this.now()
    const staff = now < session.expiresAt && now < session.lastSeenAt + this.policy.idleMs ? await this.store.getStaff(session.staffId) : null
    const org = staff && !staff.disabled && staff.orgId === session.orgId ? await this.store.getOrg(staff.orgId) : null
    if (!staff || !org) {
      await this.store.deleteSession(idHash)
      return null
    }
    if (now - session.lastSeenAt >= TOUCH_EVERY_MS) {
      await this.store.touchSession(idHash, now)
      session.lastSeenAt = now
    }
    return { session, staff, org }
  }

  async endSession(token: string): Promise<void> {
    await this.store.deleteSession(sessionIdHash(token))
  }

  sessionInfo(s: StaffSession): SessionInfo {
    const { staff, org, session } = s
    return {
      staff: { id: staff.id, name: staff.name, email: staff.email, roles: [...staff.roles], orgId: org.id, orgName: org.name },
      csrfToken: session.csrfToken,
      expiresAt: Math.min(session.expiresAt, session.lastSeenAt + this.policy.idleMs),
    }
  }

  // ---- API keys

  async createApiKey(orgId: string, name: string, roles: StaffRole[]): Promise<{ record: ApiKeyRecord; key: string }> {
    const made = generateApiKey()
    const record: ApiKeyRecord = { id: `key_${randomUUID()}`, orgId, name: name.trim(), prefix: made.prefix, hash: made.hash, roles: [...roles], createdAt: this.now(), revokedAt: null }
    await this.store.createApiKey(record)
    return { record, key: made.key }
  }

  /** A presented `nrk_…` key: its record and organisation, or why not. */
  async resolveApiKey(presented: string): Promise<ResolvedApiKey | Refusal> {
    const prefix = apiKeyPrefix(presented)
    const key = prefix ? await this.store.findApiKey(prefix) : null
    if (!key || !apiKeyMatches(presented, key.hash)) return refuse('unauthorized', 'this API key is not valid')
    if (key.revokedAt !== null) return refuse('revoked', 'this API key was revoked')
    const org = await this.store.getOrg(key.orgId)
    return org ? { key, org } : refuse('unauthorized', 'this API key is not valid')
  }
}

function isActiveAdmin(s: StaffRecord): boolean {
  return !s.disabled && s.roles.includes('admin')
}

export function staffView(s: StaffRecord): StaffView {
  return { id: s.id, orgId: s.orgId, email: s.email, name: s.name, roles: [...s.roles], disabled: s.disabled, createdAt: s.createdAt, hasPassword: s.passwordHash !== null }
}

export function orgView(o: OrgRecord): OrgView {
  return { id: o.id, name: o.name, createdAt: o.createdAt, oidc: o.oidc !== null }
}

export function apiKeyView(k: ApiKeyRecord): ApiKeyView {
  return { id: k.id, orgId: k.orgId, name: k.name, prefix: k.prefix, roles: [...k.roles], createdAt: k.createdAt, revokedAt: k.revokedAt }
}
