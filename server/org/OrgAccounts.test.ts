// The organisation rules over a real store (SQLite in memory), with a clock the tests move.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { isRefusal } from '../../shared/protocol/errors.ts'
import { SqliteStore } from '../store/SqliteStore.ts'
import type { StaffRecord } from '../store/OrgStore.ts'
import { OrgAccounts, type IdentityRefusal, type StartedSession, type VerifiedIdentity } from './OrgAccounts.ts'

const HOUR = 3600_000
let store: SqliteStore
let now: number
let accounts: OrgAccounts

beforeEach(() => {
  store = new SqliteStore(':memory:')
  now = 1_800_000_000_000
  accounts = new OrgAccounts(store.orgs, { ttlMs: 8 * HOUR, idleMs: HOUR }, () => now)
})
afterEach(async () => {
  await store.close()
})

async function orgWith(name: string, ...members: { email: string; roles?: StaffRecord['roles']; password?: string }[]): Promise<{ orgId: string; staff: StaffRecord[] }> {
  const org = await accounts.createOrg(name)
  if (isRefusal(org)) throw new Error(org.message)
  const staff: StaffRecord[] = []
  for (const m of members) {
    const s = await accounts.createStaff(org.id, { email: m.email, name: m.email.split('@')[0]!, roles: m.roles ?? ['agent'], password: m.password ?? 'a long password 1' })
    if (isRefusal(s)) throw new Error(s.message)
    staff.push(s)
  }
  return { orgId: org.id, staff }
}

describe('organisations and staff', () => {
  it('refuses a second organisation of the same name and a second member with the same e-mail', async () => {
    const { orgId } = await orgWith('Acme', { email: 'ann@acme.test' })
    expect(await accounts.createOrg('ACME')).toMatchObject({ ok: false, error: 'already_exists' })
    expect(await accounts.createStaff(orgId, { email: 'Ann@Acme.test', name: 'Ann 2', roles: ['agent'] })).toMatchObject({ error: 'already_exists' })
    expect((await accounts.ensureOrg('acme')).created).toBe(false)
    expect((await accounts.ensureOrg('Beta')).created).toBe(true)
  })

  it('never leaves an organisation without an enabled admin', async () => {
    const { orgId, staff } = await orgWith('Acme', { email: 'admin@acme.test', roles: ['admin'] }, { email: 'agent@acme.test' })
    const [admin, agent] = staff as [StaffRecord, StaffRecord]
    expect(await accounts.updateStaff(orgId, admin.id, { roles: ['agent'] })).toMatchObject({ error: 'forbidden' })
    expect(await accounts.updateStaff(orgId, admin.id, { disabled: true })).toMatchObject({ error: 'forbidden' })
    expect(await accounts.updateStaff(orgId, agent.id, { roles: ['agent', 'admin'] })).toMatchObject({ roles: ['agent', 'admin'] })
    expect(await accounts.updateStaff(orgId, admin.id, { roles: ['supervisor'] })).toMatchObject({ roles: ['supervisor'] })
  })

  it('changes a member of the caller organisation only', async () => {
    const a = await orgWith('Acme', { email: 'x@acme.test' })
    const b = await orgWith('Beta', { email: 'y@beta.test', roles: ['admin'] })
    expect(await accounts.updateStaff(b.orgId, a.staff[0]!.id, { disabled: true })).toMatchObject({ error: 'not_found' })
    expect((await store.orgs.getStaff(a.staff[0]!.id))?.disabled).toBe(false)
  })
})

describe('password sign-in', () => {
  it('finds the member by e-mail in any case, in the named organisation or in every one', async () => {
    const a = await orgWith('Acme', { email: 'ann@shared.test', password: 'acme password 1' })
    const b = await orgWith('Beta', { email: 'ann@shared.test', password: 'beta password 1' })
    expect((await accounts.checkPassword('ANN@shared.test', 'acme password 1', {}))?.orgId).toBe(a.orgId)
    expect((await accounts.checkPassword('ann@shared.test', 'beta password 1', {}))?.orgId).toBe(b.orgId)
    expect((await accounts.checkPassword('ann@shared.test', 'beta password 1', { org: 'acme' }))).toBeNull()
    expect((await accounts.checkPassword('ann@shared.test', 'beta password 1', { orgId: b.orgId }))?.orgId).toBe(b.orgId)
    expect(await accounts.checkPassword('ann@shared.test', 'beta password 1', { org: 'No Such Org' })).toBeNull()
  })

  it('answers null alike for a wrong password, an unknown e-mail, a disabled member and one without a password', async () => {
    const { orgId, staff } = await orgWith('Acme', { email: 'ann@acme.test', roles: ['admin'] }, { email: 'off@acme.test' })
    await accounts.updateStaff(orgId, staff[1]!.id, { disabled: true })
    await accounts.createStaff(orgId, { email: 'sso@acme.test', name: 'SSO only', roles: ['agent'] })
    expect(await accounts.checkPassword('ann@acme.test', 'wrong password', {})).toBeNull()
    expect(await accounts.checkPassword('nobody@acme.test', 'a long password 1', {})).toBeNull()
    expect(await accounts.checkPassword('off@acme.test', 'a long password 1', {})).toBeNull()
    expect(await accounts.checkPassword('sso@acme.test', '', {})).toBeNull()
    expect((await accounts.checkPassword('ann@acme.test', 'a long password 1', {}))?.id).toBe(staff[0]!.id)
  })
})

describe('sessions', () => {
  it('holds until idle for the idle time or past the absolute end; roles are read afresh', async () => {
    const { orgId, staff } = await orgWith('Acme', { email: 'ann@acme.test', roles: ['admin'] }, { email: 'bob@acme.test' })
    const started = await accounts.startSession(staff[1]!)
    expect(started.info).toMatchObject({ staff: { id: staff[1]!.id, orgName: 'Acme', roles: ['agent'] }, expiresAt: now + HOUR })
    // The store is keyed by the hash: the cookie value itself finds nothing there.
    expect(await store.orgs.getSession(started.token)).toBeNull()
    await accounts.updateStaff(orgId, staff[1]!.id, { roles: ['auditor'] })
    now += HOUR - 1
    expect((await accounts.resolveSession(started.token))?.staff.roles).toEqual(['auditor'])
    // Each request keeps it alive, up to the absolute end.
    for (let i = 0; i < 7; i++) {
      now += HOUR - 1
      expect(await accounts.resolveSession(started.token), `hour ${i}`).not.toBeNull()
    }
    now += HOUR - 1
    expect(await accounts.resolveSession(started.token)).toBeNull()
  })

  it('ends when idle for longer than the idle time, and is deleted then', async () => {
    const { staff } = await orgWith('Acme', { email: 'ann@acme.test' })
    const started = await accounts.startSession(staff[0]!)
    now += HOUR + 1
    expect(await accounts.resolveSession(started.token)).toBeNull()
    now -= HOUR
    expect(await accounts.resolveSession(started.token)).toBeNull()
  })

  it('stops at once for a disabled member, and for an unknown or ended token', async () => {
    const { orgId, staff } = await orgWith('Acme', { email: 'ann@acme.test', roles: ['admin'] }, { email: 'bob@acme.test' })
    const bob = await accounts.startSession(staff[1]!)
    const bob2 = await accounts.startSession(staff[1]!)
    await accounts.updateStaff(orgId, staff[1]!.id, { disabled: true })
    expect(await accounts.resolveSession(bob.token)).toBeNull()
    expect(await accounts.resolveSession(bob2.token)).toBeNull()
    expect(await accounts.resolveSession('forged')).toBeNull()
    const ann = await accounts.startSession(staff[0]!)
    await accounts.endSession(ann.token)
    expect(await accounts.resolveSession(ann.token)).toBeNull()
  })

  it('writes the last-seen time at most once a minute', async () => {
    const { staff } = await orgWith('Acme', { email: 'ann@acme.test' })
    const s = await accounts.startSession(staff[0]!)
    const idHash = (await accounts.resolveSession(s.token))!.session.idHash
    now += 30_000
    await accounts.resolveSession(s.token)
    expect((await store.orgs.getSession(idHash))?.lastSeenAt).toBe(now - 30_000)
    now += 31_000
    await accounts.resolveSession(s.token)
    expect((await store.orgs.getSession(idHash))?.lastSeenAt).toBe(now)
  })
})

describe('signing in with a verified identity (the OpenID Connect seam)', () => {
  const signedIn = (x: StartedSession | IdentityRefusal): StartedSession => {
    if ('ok' in x) throw new Error(`${x.error}: ${x.message}`)
    return x
  }
  const identity = (orgId: string, subject: string, email: string, more: Partial<VerifiedIdentity> = {}): VerifiedIdentity => ({ orgId, subject, email, emailVerified: true, name: email.split('@')[0]!, ...more })

  it('creates a member on first sign-in with the claimed roles, or none, and finds them by subject afterwards', async () => {
    const { orgId } = await orgWith('Acme')
    const first = signedIn(await accounts.signInIdentity(identity(orgId, 'sub-1', 'Cleo@acme.test', { roles: ['agent'] })))
    expect(first.info.staff).toMatchObject({ email: 'Cleo@acme.test', roles: ['agent'], orgName: 'Acme' })
    expect(await accounts.resolveSession(first.token)).not.toBeNull()
    // A linked subject signs in whatever its e-mail now says, verified or not.
    const again = signedIn(await accounts.signInIdentity(identity(orgId, 'sub-1', 'cleo.new@acme.test', { roles: ['supervisor'], emailVerified: false })))
    expect(again.info.staff).toMatchObject({ id: first.info.staff.id, roles: ['supervisor'] })
    const noClaim = signedIn(await accounts.signInIdentity(identity(orgId, 'sub-2', 'dan@acme.test')))
    expect(noClaim.info.staff.roles).toEqual([])
  })

  it('links an existing member by a verified e-mail once, keeps the roles an admin set, and refuses a second subject for that e-mail', async () => {
    const { orgId, staff } = await orgWith('Acme', { email: 'ann@acme.test', roles: ['supervisor'] })
    const linked = signedIn(await accounts.signInIdentity(identity(orgId, 'sub-ann', 'ANN@acme.test')))
    expect(linked.info.staff).toMatchObject({ id: staff[0]!.id, roles: ['supervisor'] })
    expect((await store.orgs.getStaff(staff[0]!.id))?.oidcSubject).toBe('sub-ann')
    expect(await accounts.signInIdentity(identity(orgId, 'sub-mallory', 'ann@acme.test'))).toMatchObject({ ok: false, error: 'oidc_email_taken' })
  })

  it('never links an existing account by an e-mail the identity provider does not mark verified', async () => {
    const { orgId, staff } = await orgWith('Acme', { email: 'boss@acme.test', roles: ['admin'], password: 'the boss password' })
    const sessionsBefore = await store.orgs.deleteStaffSessions(staff[0]!.id)
    expect(sessionsBefore).toBe(0)
    const takeover = await accounts.signInIdentity(identity(orgId, 'sub-mallory', 'Boss@acme.test', { emailVerified: false, roles: ['admin'] }))
    expect(takeover).toMatchObject({ ok: false, error: 'oidc_email_unverified' })
    const boss = await store.orgs.getStaff(staff[0]!.id)
    expect(boss).toMatchObject({ oidcSubject: null, roles: ['admin'] })
    expect(await store.orgs.findStaffBySubject(orgId, 'sub-mallory')).toBeNull()
    expect(await store.orgs.deleteStaffSessions(staff[0]!.id)).toBe(0)
    expect(await accounts.checkPassword('boss@acme.test', 'the boss password', { orgId })).not.toBeNull()
    // Once verified at the provider, the same identity links.
    const verified = signedIn(await accounts.signInIdentity(identity(orgId, 'sub-boss', 'boss@acme.test')))
    expect(verified.info.staff.id).toBe(staff[0]!.id)
  })

  it('creates a new member with an unverified e-mail (some providers never send email_verified): it reaches no one else’s account', async () => {
    const { orgId } = await orgWith('Acme')
    const made = signedIn(await accounts.signInIdentity(identity(orgId, 'sub-new', 'new@acme.test', { emailVerified: false })))
    expect(made.info.staff).toMatchObject({ email: 'new@acme.test', roles: [] })
  })

  it('refuses a disabled member and an unknown organisation', async () => {
    const { orgId, staff } = await orgWith('Acme', { email: 'boss@acme.test', roles: ['admin'] }, { email: 'ann@acme.test' })
    await accounts.updateStaff(orgId, staff[1]!.id, { disabled: true })
    expect(await accounts.signInIdentity(identity(orgId, 's', 'ann@acme.test'))).toMatchObject({ error: 'oidc_account_disabled' })
    expect(await accounts.signInIdentity(identity('org_nope', 's', 'x@y.test'))).toMatchObject({ error: 'oidc_account_disabled' })
  })
})

describe('API keys', () => {
  it('open their organisation until revoked; a wrong secret or a malformed key opens nothing', async () => {
    const { orgId } = await orgWith('Acme')
    const made = await accounts.createApiKey(orgId, 'loan system', ['agent'])
    expect(made.key).toMatch(/^nrk_[0-9a-f]{12}_/)
    expect((await store.orgs.findApiKey(made.record.prefix))?.hash).not.toContain(made.key)
    expect(await accounts.resolveApiKey(made.key)).toMatchObject({ key: { id: made.record.id }, org: { id: orgId } })
    expect(await accounts.resolveApiKey(`${made.key.slice(0, -2)}xx`)).toMatchObject({ error: 'unauthorized' })
    expect(await accounts.resolveApiKey('nrk_nope')).toMatchObject({ error: 'unauthorized' })
    await store.orgs.revokeApiKey(orgId, made.record.id, now)
    expect(await accounts.resolveApiKey(made.key)).toMatchObject({ error: 'revoked' })
  })
})
