// Sign-in through an organisation's identity provider in Chromium: the app (on localhost) sends the browser to
// the test IdP (on 127.0.0.1, another site), the person picks their account, and the callback — a cross-site
// top-level navigation carrying the SameSite=Lax pending cookie — completes the sign-in.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, BrowserContext } from 'playwright-core'
import { aliceAtAcme, startOidcTestApp, type OidcTestApp } from '../support/auth/oidcTestApp.ts'
import { CI, HAVE_CHROMIUM, launchChromium, teardownE2e, warnChromiumMissing } from './harness.ts'

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
