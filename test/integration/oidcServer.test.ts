// Sign-in through an organisation's identity provider on the real server: the organisation and its admin made
// with the operator key, the admin sets the IdP (PUT /api/org/oidc), and staff sign in through a real
// oidc-provider on loopback with a cookie jar — ending with a staff session, or refused back to the client.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { OrgOidcView } from '../../shared/protocol/oidc.ts'
import type { CreateOrgResponse, OrgView, SessionInfo } from '../../shared/protocol/staff.ts'
import { OidcSignIn } from '../../server/auth/oidc/OidcSignIn.ts'
import { oidcRedirectUri } from '../../server/auth/oidc/oidcRoutes.ts'
import type { SqliteStore } from '../../server/store/SqliteStore.ts'
import { startTestServer, type TestServer } from '../helpers/server.ts'
import { StaffBrowser } from '../helpers/staff.ts'
import { CookieJar } from '../support/auth/CookieJar.ts'
import { startTestIdp, type TestIdp } from '../support/auth/oidcProvider.ts'
import { signInThroughIdp } from '../support/auth/oidcTestApp.ts'

const ADMIN = { email: 'ada@acme.test', name: 'Ada Admin', password: 'first admin password' }

let server: TestServer
let idp: TestIdp
let orgId: string
let admin: StaffBrowser

beforeAll(async () => {
  server = await startTestServer({ oidcSignIn: new OidcSignIn({ allowInsecureRequests: true, allowPrivateAddresses: true }) })
  const made = await fetch(`${server.url}/api/orgs`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${server.operatorKey}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ name: 'Acme Bank', admin: ADMIN }),
  })
  orgId = ((await made.json()) as CreateOrgResponse).org.id
  idp = await startTestIdp({
    redirectUris: [oidcRedirectUri(server.url, orgId)],
    accounts: [
      { sub: 'carol-1', email: 'carol@acme.test', email_verified: true, name: 'Carol Chen', roles: ['agent', 'supervisor', 'viewer'] },
      // Someone who typed the admin's address into their own IdP profile, unverified.
      { sub: 'mallory-9', email: 'ADA@acme.test', email_verified: false, name: 'Mallory', roles: ['admin'] },
    ],
  })
  admin = new StaffBrowser(server)
  expect((await admin.login({ email: ADMIN.email, password: ADMIN.password })).status).toBe(200)
}, 30_000)

afterAll(async () => {
  await idp?.close()
  await server?.close()
})

const startUrl = (): string => `${server.url}/api/auth/oidc/${orgId}/start`
const isCallback = (u: URL): boolean => u.pathname.endsWith('/callback')

describe('sign-in through the organisation’s identity provider, on the real server', () => {
  it('the admin sets the identity provider; the answer shows the redirect URI, never the secret, and the store keeps it sealed', async () => {
    const body = { issuer: idp.issuer, clientId: idp.clientId, clientSecret: idp.clientSecret, rolesClaim: 'roles', scopes: ['openid', 'email', 'profile', 'roles'] }
    expect((await admin.request('PUT', '/api/org/oidc', { ...body, issuer: 'http://idp.elsewhere.test' })).status).toBe(400)
    expect((await admin.request('PUT', '/api/org/oidc', { ...body, roleMap: { x: 'root' } })).status).toBe(400)
    const set = await admin.request<{ org: OrgView; oidc: OrgOidcView }>('PUT', '/api/org/oidc', body)
    expect(set.status).toBe(200)
    expect(set.body.oidc).toEqual({ issuer: idp.issuer, clientId: idp.clientId, rolesClaim: 'roles', scopes: body.scopes, hasClientSecret: true, redirectUri: `${server.url}/api/auth/oidc/${orgId}/callback` })
    expect(JSON.stringify((await admin.request('GET', '/api/org')).body)).not.toContain(idp.clientSecret)
    const row = (server.store as SqliteStore).db.prepare('SELECT oidc FROM orgs WHERE id = ?').get(orgId) as { oidc: string }
    expect(row.oidc).toContain(idp.clientId)
    expect(row.oidc).not.toContain(idp.clientSecret)
  })

  it('a member signs in: a session cookie, /lobby, who they are with the roles of the claim; sign-out ends it', async () => {
    const jar = new CookieJar()
    const stop = await signInThroughIdp(jar, startUrl(), { account: 'carol-1' }, isCallback)
    if (!('stoppedAt' in stop)) throw new Error('did not reach the callback')
    const callback = await fetch(stop.stoppedAt, { headers: { cookie: jar.header(stop.stoppedAt) }, redirect: 'manual' })
    jar.store(stop.stoppedAt, callback)
    expect(callback.status).toBe(303)
    expect(callback.headers.get('location')).toBe('/lobby')
    const session = callback.headers.getSetCookie().find((c) => c.startsWith('nr_session='))
    expect(session).toMatch(/^nr_session=[\w-]{43}; Max-Age=\d+; Path=\/; Expires=[^;]+; HttpOnly; SameSite=Lax$/)
    expect(jar.has('nr_oidc_pending')).toBe(false)

    const carol = new StaffBrowser(server)
    carol.cookie = jar.header(new URL(`${server.url}/api/auth/me`))
    const me = await carol.request<SessionInfo>('GET', '/api/auth/me')
    expect(me.status).toBe(200)
    expect(me.body.staff).toEqual({ id: expect.stringMatching(/^stf_/), name: 'Carol Chen', email: 'carol@acme.test', roles: ['agent', 'supervisor'], orgId, orgName: 'Acme Bank' })
    // The admin sees the new member, without a password.
    const staff = await admin.request<{ staff: { email: string; hasPassword: boolean }[] }>('GET', '/api/org/staff')
    expect(staff.body.staff).toContainEqual(expect.objectContaining({ email: 'carol@acme.test', hasPassword: false }))
    // Linked by issuer and subject together: another provider's "carol-1" is someone else.
    expect((await server.store.orgs.getStaff(me.body.staff.id))?.oidcSubject).toBe(`${idp.issuer} carol-1`)

    carol.csrfToken = me.body.csrfToken
    expect((await carol.request('POST', '/api/auth/logout')).status).toBe(204)
    expect((await carol.request('GET', '/api/auth/me')).status).toBe(401)
  })

  it('an unverified e-mail matching a password account is refused back to the client, and the account stays the admin’s', async () => {
    const jar = new CookieJar()
    const done = await signInThroughIdp(jar, startUrl(), { account: 'mallory-9' }, (u) => u.pathname === '/lobby')
    if (!('stoppedAt' in done)) throw new Error('did not come back to the client')
    expect(`${done.stoppedAt.pathname}${done.stoppedAt.search}`).toBe('/lobby?signin_error=oidc_email_unverified')
    expect(jar.has('nr_session')).toBe(false)
    const staff = await admin.request<{ staff: { email: string; name: string }[] }>('GET', '/api/org/staff')
    expect(staff.body.staff.map((s) => s.name).sort()).toEqual(['Ada Admin', 'Carol Chen'])
    expect((await new StaffBrowser(server).login({ email: ADMIN.email, password: ADMIN.password })).status).toBe(200)
  })

  it('a refusal at the identity provider, or an organisation without one, lands on the client with its code', async () => {
    const cancelled = await signInThroughIdp(new CookieJar(), startUrl(), 'cancel', (u) => u.pathname === '/lobby')
    expect('stoppedAt' in cancelled && cancelled.stoppedAt.search).toBe('?signin_error=oidc_access_denied')
    const none = await fetch(`${server.url}/api/auth/oidc/org_nobody/start`, { redirect: 'manual' })
    expect(none.status).toBe(303)
    expect(none.headers.get('location')).toBe('/lobby?signin_error=oidc_not_configured')
  })

  it('after the admin removes the identity provider, sign-in through it is refused', async () => {
    expect((await admin.request('DELETE', '/api/org/oidc')).body).toMatchObject({ org: { oidc: false }, oidc: null })
    const res = await fetch(startUrl(), { redirect: 'manual' })
    expect(res.headers.get('location')).toBe('/lobby?signin_error=oidc_not_configured')
  })
})
