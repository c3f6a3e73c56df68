// The organisation's identity-provider settings over a real store (SQLite in memory): validated, and the
// client secret kept only sealed — the stored column itself does not hold it.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { SqliteStore } from '../store/SqliteStore.ts'
import { OidcSettings } from './OidcSettings.ts'

const SECRET = 'a server secret of at least thirty-two characters'
const CLIENT_SECRET = 'client-secret-Zq9x7Vb2'
const CONFIG = { issuer: 'https://idp.acme.test/realms/staff', clientId: 'negotiation-room', clientSecret: CLIENT_SECRET, rolesClaim: 'groups', roleMap: { 'lending-agents': 'agent' } }

let store: SqliteStore
let settings: OidcSettings

beforeEach(async () => {
  store = new SqliteStore(':memory:')
  settings = new OidcSettings(store.orgs, SECRET)
  await store.orgs.createOrg({ id: 'org_a', name: 'Acme', createdAt: 1, oidc: null })
  await store.orgs.createOrg({ id: 'org_b', name: 'Beta', createdAt: 1, oidc: null })
})
afterEach(async () => {
  await store.close()
})

const column = (id: string): string | null => (store.db.prepare('SELECT oidc FROM orgs WHERE id = ?').get(id) as { oidc: string | null }).oidc

describe('OidcSettings', () => {
  it('keeps the client secret sealed in the store and opens it only for a sign-in', async () => {
    const set = await settings.set('org_a', CONFIG)
    expect(set).toMatchObject({ ok: true, value: { id: 'org_a', oidc: { issuer: CONFIG.issuer, clientId: 'negotiation-room', rolesClaim: 'groups' } } })
    const raw = column('org_a')
    expect(raw).toContain('negotiation-room')
    expect(raw).not.toContain(CLIENT_SECRET)
    expect(raw).not.toContain(Buffer.from(CLIENT_SECRET).toString('base64url'))
    expect(JSON.stringify(await store.orgs.getOrg('org_a'))).not.toContain(CLIENT_SECRET)
    expect(await settings.configFor('org_a')).toEqual(CONFIG)
    expect(await settings.configFor('org_b')).toBeNull()
  })

  it('keeps the secret already set when a change leaves it out, and needs one when none is set', async () => {
    await settings.set('org_a', CONFIG)
    const { clientSecret: _omitted, ...withoutSecret } = CONFIG
    expect(await settings.set('org_a', { ...withoutSecret, rolesClaim: 'roles' })).toMatchObject({ ok: true })
    expect(await settings.configFor('org_a')).toMatchObject({ clientSecret: CLIENT_SECRET, rolesClaim: 'roles' })
    expect(await settings.set('org_b', withoutSecret)).toMatchObject({ ok: false, error: expect.stringContaining('clientSecret') })
  })

  it('refuses what validateOidcConfig refuses: http off loopback, an unknown role, unknown fields', async () => {
    expect(await settings.set('org_a', { ...CONFIG, issuer: 'http://idp.acme.test' })).toMatchObject({ ok: false })
    expect(await settings.set('org_a', { ...CONFIG, roleMap: { x: 'root' } })).toMatchObject({ ok: false })
    expect(await settings.set('org_a', { ...CONFIG, extra: 1 })).toMatchObject({ ok: false })
    expect(await settings.set('org_a', 'not an object')).toMatchObject({ ok: false })
    expect(column('org_a')).toBeNull()
  })

  it('a sealed secret does not open under another SECRET, nor moved to another organisation', async () => {
    await settings.set('org_a', CONFIG)
    expect(await new OidcSettings(store.orgs, 'another secret of at least thirty-two characters').configFor('org_a')).toBeNull()
    store.db.prepare('UPDATE orgs SET oidc = ? WHERE id = ?').run(column('org_a'), 'org_b')
    expect(await settings.configFor('org_b')).toBeNull()
    expect(await settings.clear('org_a')).toMatchObject({ oidc: null })
    expect(await settings.configFor('org_a')).toBeNull()
  })
})
