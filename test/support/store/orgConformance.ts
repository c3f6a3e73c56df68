// Organisations, staff, sessions and API keys, every store (server/store/OrgStore.ts): what sign-in and
// administration rely on. SqliteStore.test.ts runs it on SQLite; test/postgres/PgStore.test.ts on PostgreSQL.
import { describe, expect, it } from 'vitest'
import { closedAfterEach } from './closedAfterEach.ts'
import type { ApiKeyRecord, OrgRecord, SessionRecord, StaffRecord } from '../../../server/store/OrgStore.ts'
import type { Store } from '../../../server/store/Store.ts'

export interface OrgHarness<S extends Store = Store> {
  /** A new store over a new, empty database. */
  open(): Promise<S>
}

const org = (id: string, name: string): OrgRecord => ({ id, name, createdAt: 1_000, oidc: null })
const staff = (id: string, orgId: string, email: string, extra: Partial<StaffRecord> = {}): StaffRecord => ({
  id,
  orgId,
  email,
  name: `Name ${id}`,
  passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaA',
  roles: ['agent'],
  disabled: false,
  createdAt: 2_000,
  oidcSubject: null,
  ...extra,
})
const session = (idHash: string, staffId: string, orgId: string, extra: Partial<SessionRecord> = {}): SessionRecord => ({
  idHash,
  staffId,
  orgId,
  csrfToken: `csrf-${idHash}`,
  createdAt: 10_000,
  expiresAt: 50_000,
  lastSeenAt: 10_000,
  ...extra,
})
const key = (id: string, orgId: string, prefix: string): ApiKeyRecord => ({
  id,
  orgId,
  name: `key ${id}`,
  prefix,
  hash: 'ab'.repeat(32),
  roles: ['agent', 'auditor'],
  createdAt: 3_000,
  revokedAt: null,
})

export function describeOrgStore<S extends Store>(name: string, harness: OrgHarness<S>): void {
  describe(name, () => {
    const open = closedAfterEach(() => harness.open())

    it('keeps organisations with names unique whatever their case, and their identity-provider settings', async () => {
      const { orgs } = await open()
      expect(await orgs.createOrg(org('o1', 'Acme Bank'))).toEqual(org('o1', 'Acme Bank'))
      expect(await orgs.createOrg(org('o2', '  acme BANK '))).toBeNull()
      expect(await orgs.createOrg(org('o3', 'Other Lender'))).not.toBeNull()
      expect((await orgs.findOrgByName('ACME bank'))?.id).toBe('o1')
      expect(await orgs.findOrgByName('nobody')).toBeNull()
      expect(await orgs.getOrg('o2')).toBeNull()
      expect((await orgs.listOrgs()).map((o) => o.id)).toEqual(['o1', 'o3'])
      const oidc = { issuer: 'https://idp.example', clientId: 'c', sealedClientSecret: 'v1.iv.ct.tag', roleMap: { staff: 'agent' as const }, scopes: ['openid', 'email'], rolesClaim: 'roles' }
      expect((await orgs.setOrgOidc('o1', oidc))?.oidc).toEqual(oidc)
      expect((await orgs.getOrg('o1'))?.oidc).toEqual(oidc)
      expect((await orgs.setOrgOidc('o1', null))?.oidc).toBeNull()
      expect(await orgs.setOrgOidc('nope', oidc)).toBeNull()
    })

    it('keeps e-mail addresses unique per organisation, compared in lower case, and finds them in one or every organisation', async () => {
      const { orgs } = await open()
      await orgs.createOrg(org('o1', 'A'))
      await orgs.createOrg(org('o2', 'B'))
      expect(await orgs.createStaff(staff('s1', 'o1', 'Ann@Acme.test'))).toEqual(staff('s1', 'o1', 'Ann@Acme.test'))
      expect(await orgs.createStaff(staff('s2', 'o1', 'ann@acme.TEST'))).toBeNull()
      expect(await orgs.createStaff(staff('s3', 'o2', 'ann@acme.test', { createdAt: 2_001 }))).not.toBeNull()
      expect((await orgs.findStaffByEmail('o1', 'ANN@acme.test')).map((s) => s.id)).toEqual(['s1'])
      expect((await orgs.findStaffByEmail(null, ' ann@acme.test ')).map((s) => s.id)).toEqual(['s1', 's3'])
      expect(await orgs.findStaffByEmail('o1', 'bob@acme.test')).toEqual([])
      expect((await orgs.listStaff('o2')).map((s) => s.id)).toEqual(['s3'])
      expect(await orgs.getStaff('s2')).toBeNull()
    })

    it('updates roles, name, disabled, password and the identity-provider subject, leaving the rest', async () => {
      const { orgs } = await open()
      await orgs.createOrg(org('o1', 'A'))
      await orgs.createStaff(staff('s1', 'o1', 'a@x.test'))
      const updated = await orgs.updateStaff('s1', { roles: ['supervisor', 'admin'], disabled: true })
      expect(updated).toMatchObject({ roles: ['supervisor', 'admin'], disabled: true, name: 'Name s1', passwordHash: staff('s1', 'o1', '').passwordHash })
      expect(await orgs.updateStaff('s1', { disabled: false, name: 'Ann' })).toMatchObject({ disabled: false, name: 'Ann', roles: ['supervisor', 'admin'] })
      expect(await orgs.updateStaff('s1', { passwordHash: null })).toMatchObject({ passwordHash: null, name: 'Ann' })
      expect(await orgs.updateStaff('s1', { passwordHash: 'new' })).toMatchObject({ passwordHash: 'new' })
      expect(await orgs.updateStaff('s1', { oidcSubject: 'sub-1' })).toMatchObject({ oidcSubject: 'sub-1', passwordHash: 'new' })
      expect((await orgs.findStaffBySubject('o1', 'sub-1'))?.id).toBe('s1')
      expect(await orgs.findStaffBySubject('o2', 'sub-1')).toBeNull()
      expect(await orgs.updateStaff('nobody', { disabled: true })).toBeNull()
    })

    it('keeps sessions by the hash of their secret: read, touched forward only, ended one by one, per member and when expired', async () => {
      const { orgs } = await open()
      await orgs.createOrg(org('o1', 'A'))
      await orgs.createStaff(staff('s1', 'o1', 'a@x.test'))
      await orgs.createStaff(staff('s2', 'o1', 'b@x.test'))
      await orgs.createSession(session('h1', 's1', 'o1'))
      await orgs.createSession(session('h2', 's1', 'o1', { expiresAt: 20_000 }))
      await orgs.createSession(session('h3', 's2', 'o1'))
      expect(await orgs.getSession('h1')).toEqual(session('h1', 's1', 'o1'))
      await orgs.touchSession('h1', 12_000)
      await orgs.touchSession('h1', 11_000)
      expect((await orgs.getSession('h1'))?.lastSeenAt).toBe(12_000)
      expect(await orgs.pruneSessions(20_000)).toBe(1)
      expect(await orgs.getSession('h2')).toBeNull()
      expect(await orgs.deleteStaffSessions('s1')).toBe(1)
      expect(await orgs.getSession('h1')).toBeNull()
      expect(await orgs.getSession('h3')).not.toBeNull()
      await orgs.deleteSession('h3')
      expect(await orgs.getSession('h3')).toBeNull()
      await orgs.touchSession('gone', 1)
    })

    it('keeps API keys by unique prefix; revoking is scoped to the organisation and keeps the first time', async () => {
      const { orgs } = await open()
      await orgs.createOrg(org('o1', 'A'))
      await orgs.createOrg(org('o2', 'B'))
      await orgs.createApiKey(key('k1', 'o1', 'aaaaaaaaaaaa'))
      await orgs.createApiKey(key('k2', 'o1', 'bbbbbbbbbbbb'))
      await expect(orgs.createApiKey(key('k3', 'o2', 'aaaaaaaaaaaa'))).rejects.toThrow()
      expect(await orgs.findApiKey('aaaaaaaaaaaa')).toEqual(key('k1', 'o1', 'aaaaaaaaaaaa'))
      expect(await orgs.findApiKey('cccccccccccc')).toBeNull()
      expect(await orgs.revokeApiKey('o2', 'k1', 5_000)).toBeNull()
      expect((await orgs.revokeApiKey('o1', 'k1', 5_000))?.revokedAt).toBe(5_000)
      expect((await orgs.revokeApiKey('o1', 'k1', 6_000))?.revokedAt).toBe(5_000)
      expect((await orgs.listApiKeys('o1')).map((k) => [k.id, k.revokedAt])).toEqual([
        ['k1', 5_000],
        ['k2', null],
      ])
      expect(await orgs.listApiKeys('o2')).toEqual([])
    })
  })
}
