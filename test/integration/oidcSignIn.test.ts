// Sign-in through an organisation's identity provider end to end: a real oidc-provider on loopback, the
// OIDC routes on a real express server, and a cookie-jar fetch following every redirect.
import type { AddressInfo } from 'node:net'
import express from 'express'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { OidcSignIn } from '../../server/auth/oidc/OidcSignIn.ts'
import { oidcRoutes } from '../../server/auth/oidc/oidcRoutes.ts'
import { pendingCookieKey } from '../../server/auth/oidc/pendingCookie.ts'
import { CookieJar } from '../support/auth/CookieJar.ts'
import { aliceAtAcme, signInThroughIdp, startOidcTestApp, type OidcTestApp } from '../support/auth/oidcTestApp.ts'

let app: OidcTestApp
beforeAll(async () => {
  app = await startOidcTestApp()
})
afterAll(async () => {
  await app?.close()
})

const isCallback = (u: URL): boolean => u.pathname.endsWith('/callback')

async function refusalOf(result: Awaited<ReturnType<CookieJar['follow']>>): Promise<{ status: number; body: unknown }> {
  if (!('res' in result)) throw new Error('stopped instead of answering')
  return { status: result.res.status, body: await result.res.json() }
}

describe('OIDC sign-in', () => {
  it('signs in through the IdP with PKCE, maps the roles claim, and clears the pending cookie', async () => {
    const jar = new CookieJar()
    const seen = app.identities.length
    const start = await fetch(app.startUrl('acme'), { redirect: 'manual' })
    expect(start.status).toBe(303)
    const setCookie = start.headers.getSetCookie().join('\n')
    expect(setCookie).toMatch(/^nr_oidc_pending=[^;]+; Max-Age=600; Path=\/api\/auth\/oidc; Expires=[^;]+; HttpOnly; SameSite=Lax$/)
    const auth = new URL(start.headers.get('location') ?? '')
    expect(auth.origin).toBe(app.idp.issuer)
    expect(Object.fromEntries(auth.searchParams)).toMatchObject({
      client_id: app.idp.clientId,
      response_type: 'code',
      code_challenge_method: 'S256',
      scope: 'openid email profile roles',
      redirect_uri: `${app.url}/api/auth/oidc/acme/callback`,
    })
    expect(auth.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(auth.searchParams.get('state')).toBeTruthy()
    expect(auth.searchParams.get('nonce')).toBeTruthy()

    const done = await signInThroughIdp(jar, app.startUrl('acme'), { account: 'alice-7f3a' })
    if (!('res' in done)) throw new Error('stopped')
    expect(done.url.href).toBe(`${app.url}/signed-in`)
    expect(done.visited.some((u) => isCallback(u) && u.searchParams.has('code'))).toBe(true)
    expect(await done.res.json()).toEqual(aliceAtAcme(app.idp.issuer))
    expect(app.identities.slice(seen).map((i) => i.orgId)).toEqual(['acme'])
    expect(jar.has('nr_oidc_pending')).toBe(false)
    expect(jar.has('test_marker')).toBe(true)
  })

  it('maps group values through the roleMap only, and keeps roles to the admin where no claim is configured', async () => {
    const bo = await signInThroughIdp(new CookieJar(), app.startUrl('bank2'), { account: 'bo-19c2' })
    if (!('res' in bo)) throw new Error('stopped')
    expect(await bo.res.json()).toMatchObject({ subject: 'bo-19c2', emailVerified: false, name: 'Bo Li', roles: ['agent', 'auditor'], rolesFromIdp: true })

    const alice = await signInThroughIdp(new CookieJar(), app.startUrl('plain'), { account: 'alice-7f3a' })
    if (!('res' in alice)) throw new Error('stopped')
    expect(await alice.res.json()).toMatchObject({ subject: 'alice-7f3a', roles: [], rolesFromIdp: false })
  })

  it('refuses a callback whose state was tampered with, and the genuine one after it', async () => {
    const jar = new CookieJar()
    const seen = app.identities.length
    const stop = await signInThroughIdp(jar, app.startUrl('acme'), { account: 'alice-7f3a' }, isCallback)
    if (!('stoppedAt' in stop)) throw new Error('did not reach the callback')
    const forged = new URL(stop.stoppedAt)
    forged.searchParams.set('state', `${forged.searchParams.get('state')}x`)
    expect(await refusalOf(await jar.follow(forged))).toEqual({ status: 400, body: { error: 'oidc_state_mismatch', message: expect.any(String) } })
    // The pending cookie went with the refusal: the genuine callback cannot be completed afterwards either.
    expect(await refusalOf(await jar.follow(stop.stoppedAt))).toMatchObject({ status: 400, body: { error: 'oidc_no_pending' } })
    expect(app.identities.length).toBe(seen)
  })

  it('refuses a callback without the pending cookie, or with one forged or started for another organisation', async () => {
    const stop = await signInThroughIdp(new CookieJar(), app.startUrl('acme'), { account: 'alice-7f3a' }, isCallback)
    if (!('stoppedAt' in stop)) throw new Error('did not reach the callback')
    expect(await refusalOf(await new CookieJar().follow(stop.stoppedAt))).toMatchObject({ status: 400, body: { error: 'oidc_no_pending' } })

    const forgedJar = new CookieJar()
    const again = await signInThroughIdp(forgedJar, app.startUrl('acme'), { account: 'alice-7f3a' }, isCallback)
    if (!('stoppedAt' in again)) throw new Error('did not reach the callback')
    forgedJar.set('nr_oidc_pending', 'eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..AAAAAAAAAAAAAAAA.AAAA.AAAAAAAAAAAAAAAAAAAAAA')
    expect(await refusalOf(await forgedJar.follow(again.stoppedAt))).toMatchObject({ status: 400, body: { error: 'oidc_no_pending' } })

    const crossJar = new CookieJar()
    const cross = await signInThroughIdp(crossJar, app.startUrl('acme'), { account: 'alice-7f3a' }, isCallback)
    if (!('stoppedAt' in cross)) throw new Error('did not reach the callback')
    const other = new URL(cross.stoppedAt.href.replace('/acme/callback', '/bank2/callback'))
    expect(await refusalOf(await crossJar.follow(other))).toMatchObject({ status: 400, body: { error: 'oidc_no_pending' } })
  })

  it('refuses a sign-in that took longer than 10 minutes', async () => {
    const jar = new CookieJar()
    const stop = await signInThroughIdp(jar, app.startUrl('acme'), { account: 'alice-7f3a' }, isCallback)
    if (!('stoppedAt' in stop)) throw new Error('did not reach the callback')
    app.advanceClock(10 * 60_000 + 5_000)
    try {
      expect(await refusalOf(await jar.follow(stop.stoppedAt))).toEqual({ status: 400, body: { error: 'oidc_pending_expired', message: 'the sign-in took longer than 10 minutes; start it again' } })
    } finally {
      app.advanceClock(-(10 * 60_000 + 5_000))
    }
  })

  it('shows a cancel at the IdP as access_denied', async () => {
    const seen = app.identities.length
    const result = await signInThroughIdp(new CookieJar(), app.startUrl('acme'), 'cancel')
    expect(await refusalOf(result)).toEqual({
      status: 401,
      body: { error: 'oidc_access_denied', message: 'the sign-in was declined at the identity provider (access_denied: End-User aborted interaction)' },
    })
    expect(app.identities.length).toBe(seen)
  })

  it('refuses a person the IdP gives no email for', async () => {
    expect(await refusalOf(await signInThroughIdp(new CookieJar(), app.startUrl('acme'), { account: 'nomail-55' }))).toMatchObject({ status: 422, body: { error: 'oidc_missing_email' } })
  })

  it('reads the discovery document once for all the sign-ins above', () => {
    // Every test before this one signed in through the same issuer (in several organisations).
    expect(app.identities.length).toBeGreaterThanOrEqual(3)
    expect(app.idp.hits.get('/.well-known/openid-configuration')).toBe(1)
    expect(app.idp.hits.get('/token')).toBeGreaterThanOrEqual(app.identities.length)
  })

  it('behind a proxy at an https PUBLIC_URL: the redirect URI is the public one and the pending cookie is Secure', async () => {
    const proxied = express()
    proxied.use(
      oidcRoutes({
        configFor: () => ({ issuer: app.idp.issuer, clientId: app.idp.clientId, clientSecret: app.idp.clientSecret }),
        onIdentity: () => {},
        cookieKey: pendingCookieKey('another test secret of at least thirty-two characters'),
        publicUrl: 'https://negotiation.example-bank.cn/',
        signIn: new OidcSignIn({ allowInsecureRequests: true, allowPrivateAddresses: true }),
      }),
    )
    const server = proxied.listen(0, '127.0.0.1')
    await new Promise((resolve) => server.once('listening', resolve))
    try {
      const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/api/auth/oidc/acme/start`, { redirect: 'manual' })
      expect(res.status).toBe(303)
      expect(new URL(res.headers.get('location') ?? '').searchParams.get('redirect_uri')).toBe('https://negotiation.example-bank.cn/api/auth/oidc/acme/callback')
      expect(res.headers.getSetCookie()[0]).toMatch(/^nr_oidc_pending=[^;]+; .*; HttpOnly; Secure; SameSite=Lax$/)
    } finally {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    }
  })

  it('answers not configured for an organisation without an IdP, or a malformed id', async () => {
    for (const org of ['nobody', 'a%20b']) {
      const res = await fetch(`${app.url}/api/auth/oidc/${org}/start`, { redirect: 'manual' })
      expect(res.status).toBe(404)
      expect(await res.json()).toMatchObject({ error: 'oidc_not_configured' })
      expect(res.headers.getSetCookie()).toEqual([])
    }
  })
})
