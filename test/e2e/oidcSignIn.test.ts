// Sign-in through an organisation's identity provider in Chromium: the app (on localhost) sends the browser to
// the test IdP (on 127.0.0.1, another site), the person picks their account, and the callback — a cross-site
// top-level navigation carrying the SameSite=Lax pending cookie — completes the sign-in.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, BrowserContext } from 'playwright-core'
import { aliceAtAcme, startOidcTestApp, type OidcTestApp } from '../support/auth/oidcTestApp.ts'
import type { RunningServer } from '../../server/app.ts'
import { OidcSignIn } from '../../server/auth/oidc/OidcSignIn.ts'
import { oidcRedirectUri } from '../../server/auth/oidc/oidcRoutes.ts'
import type { CreateOrgResponse } from '../../shared/protocol/staff.ts'
import { StaffBrowser } from '../helpers/staff.ts'
import { startTestIdp, type TestIdp } from '../support/auth/oidcProvider.ts'
import { CI, HAVE_CHROMIUM, launchChromium, startE2eServer, teardownE2e, warnChromiumMissing } from './harness.ts'

warnChromiumMissing()

describe.runIf(HAVE_CHROMIUM || CI)('OIDC sign-in in Chromium', () => {
  let app: OidcTestApp
  let browser: Browser | undefined
  const contexts: BrowserContext[] = []

  beforeAll(async () => {
    app = await startOidcTestApp()
    browser = await launchChromium()
  })
  afterAll(() => teardownE2e({ contexts, browser, server: app, dataDir: undefined }))

  it('signs in through the IdP and comes back with the identity, the pending cookie gone', async () => {
    if (!browser) throw new Error('no browser')
    const ctx = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'en-US' })
    contexts.push(ctx)
    const page = await ctx.newPage()
    await page.goto(`${app.localhostUrl}/api/auth/oidc/acme/start`)
    expect(new URL(page.url()).origin).toBe(app.idp.issuer)
    const pending = (await ctx.cookies()).find((c) => c.name === 'nr_oidc_pending')
    expect(pending).toMatchObject({ domain: 'localhost', path: '/api/auth/oidc', httpOnly: true, sameSite: 'Lax', secure: false })

    await page.getByRole('button', { name: 'Sign in as Alice Zhang' }).click()
    await page.waitForURL(`${app.localhostUrl}/signed-in`)
    expect(JSON.parse(await page.locator('body').innerText())).toEqual(aliceAtAcme(app.idp.issuer))
    const names = (await ctx.cookies()).map((c) => c.name)
    expect(names).toContain('test_marker')
    expect(names).not.toContain('nr_oidc_pending')
  })
})

describe.runIf(HAVE_CHROMIUM || CI)('OIDC sign-in in Chromium, on the real server', () => {
  const OPERATOR_KEY = 'e2e-operator-key-of-at-least-thirty-two-characters'
  let server: RunningServer | undefined
  let dataDir: string | undefined
  let idp: TestIdp | undefined
  let browser: Browser | undefined
  const contexts: BrowserContext[] = []

  afterAll(async () => {
    await idp?.close()
    await teardownE2e({ contexts, browser, server, dataDir })
  })

  it('an admin sets the IdP; a member signs in through it and lands on /lobby with an httpOnly session cookie', async () => {
    ;({ server, dataDir } = await startE2eServer('oidc-e2e-', OPERATOR_KEY, { oidcSignIn: new OidcSignIn({ allowInsecureRequests: true, allowPrivateAddresses: true }) }))
    const made = await fetch(`${server.url}/api/orgs`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${OPERATOR_KEY}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'Acme Bank', admin: { email: 'ada@acme.test', name: 'Ada', password: 'first admin password' } }),
    })
    const created = (await made.json()) as CreateOrgResponse
    expect(made.status, JSON.stringify(created)).toBe(201)
    const orgId = created.org.id
    // The app on localhost, the IdP on 127.0.0.1: two sites, as in a deployment.
    const appUrl = server.url.replace('127.0.0.1', 'localhost')
    idp = await startTestIdp({ redirectUris: [oidcRedirectUri(appUrl, orgId)], accounts: [{ sub: 'carol-1', email: 'carol@acme.test', email_verified: true, name: 'Carol Chen', roles: ['agent'] }] })
    const admin = new StaffBrowser(server)
    expect((await admin.login({ email: 'ada@acme.test', password: 'first admin password' })).status).toBe(200)
    const set = await admin.request('PUT', '/api/org/oidc', { issuer: idp.issuer, clientId: idp.clientId, clientSecret: idp.clientSecret, rolesClaim: 'roles', scopes: ['openid', 'email', 'profile', 'roles'] })
    expect(set.status).toBe(200)

    browser = await launchChromium()
    const ctx = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'en-US' })
    contexts.push(ctx)
    const page = await ctx.newPage()
    await page.goto(`${appUrl}/api/auth/oidc/${orgId}/start`)
    expect(new URL(page.url()).origin).toBe(idp.issuer)
    await page.getByRole('button', { name: 'Sign in as Carol Chen' }).click()
    await page.waitForURL(`${appUrl}/lobby`)
    const cookies = await ctx.cookies()
    expect(cookies.find((c) => c.name === 'nr_session')).toMatchObject({ domain: 'localhost', path: '/', httpOnly: true, sameSite: 'Lax' })
    expect(cookies.map((c) => c.name)).not.toContain('nr_oidc_pending')
    const me = await page.evaluate(async () => {
      const res = await fetch('/api/auth/me')
      return { status: res.status, body: (await res.json()) as { staff: { name: string; roles: string[] } } }
    })
    expect(me).toMatchObject({ status: 200, body: { staff: { name: 'Carol Chen', roles: ['agent'] } } })
  }, 60_000)
})
