// The OIDC sign-in routes on a real express server on a free port, against a test identity provider:
// onIdentity records who signed in under a marker cookie, and GET /signed-in answers that identity.
import { randomUUID } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import express from 'express'
import type { OrgOidcConfig } from '../../../shared/protocol/oidc.ts'
import { OidcSignIn, type OidcIdentity } from '../../../server/auth/oidc/OidcSignIn.ts'
import { oidcRedirectUri, oidcRoutes } from '../../../server/auth/oidc/oidcRoutes.ts'
import { pendingCookieKey } from '../../../server/auth/oidc/pendingCookie.ts'
import { CookieJar } from './CookieJar.ts'
import { startTestIdp, type TestAccount, type TestIdp } from './oidcProvider.ts'

export const TEST_ACCOUNTS: readonly TestAccount[] = [
  { sub: 'alice-7f3a', email: 'alice@acme-lending.test', email_verified: true, name: 'Alice Zhang', roles: ['admin', 'agent', 'viewer'] },
  { sub: 'bo-19c2', email: 'bo@acme-lending.test', email_verified: false, name: 'Bo Li', groups: ['lending-agents', 'risk-office', 'admin'] },
  { sub: 'nomail-55', name: 'No Mail' },
]

/** What onIdentity is given when Alice signs in at org "acme" (roles claim: admin, agent, and an unknown "viewer"). */
export function aliceAtAcme(issuer: string): OidcIdentity {
  return { subject: 'alice-7f3a', issuer, email: 'alice@acme-lending.test', emailVerified: true, name: 'Alice Zhang', roles: ['agent', 'admin'], rolesFromIdp: true }
}

/** Org "acme" takes roles from the "roles" claim; "bank2" maps groups; "plain" takes none from its IdP. */
export const ORG_SETTINGS: Record<string, Omit<OrgOidcConfig, 'issuer' | 'clientId' | 'clientSecret'>> = {
  acme: { rolesClaim: 'roles', scopes: ['openid', 'email', 'profile', 'roles'] },
  bank2: { rolesClaim: 'groups', roleMap: { 'lending-agents': 'agent', 'risk-office': 'auditor' }, scopes: ['openid', 'email', 'profile', 'groups'] },
  plain: {},
}

export interface OidcTestApp {
  url: string
  /** The same server as http://localhost:…, another site than the IdP's 127.0.0.1 (a browser then sends SameSite=Lax cookies only on top-level navigations). */
  localhostUrl: string
  idp: TestIdp
  /** Everyone onIdentity was called with, in order. */
  identities: { orgId: string; identity: OidcIdentity }[]
  /** Moves the app's clock (not the IdP's) forward, to let a pending sign-in expire. */
  advanceClock(ms: number): void
  startUrl(orgId: string): string
  close(): Promise<void>
}

export async function startOidcTestApp(): Promise<OidcTestApp> {
  let offset = 0
  const now = (): number => Date.now() + offset
  const identities: OidcTestApp['identities'] = []
  const byMarker = new Map<string, OidcIdentity>()
  let idp: TestIdp | undefined

  const app = express()
  app.use(
    oidcRoutes({
      configFor: (orgId) => {
        const settings = Object.hasOwn(ORG_SETTINGS, orgId) ? ORG_SETTINGS[orgId] : undefined
        return idp && settings ? { issuer: idp.issuer, clientId: idp.clientId, clientSecret: idp.clientSecret, ...settings } : null
      },
      onIdentity: (orgId, identity, _req, res) => {
        identities.push({ orgId, identity })
        const marker = randomUUID()
        byMarker.set(marker, identity)
        res.cookie('test_marker', marker, { httpOnly: true, sameSite: 'lax', path: '/' })
        res.redirect(303, '/signed-in')
      },
      cookieKey: pendingCookieKey('a test secret of at least thirty-two characters'),
      signIn: new OidcSignIn({ allowInsecureRequests: true, allowPrivateAddresses: true, now }),
      now,
    }),
  )
  app.get('/signed-in', (req, res) => {
    const marker = /(?:^|;\s*)test_marker=([^;]+)/.exec(req.headers.cookie ?? '')?.[1]
    const identity = marker === undefined ? undefined : byMarker.get(marker)
    if (!identity) return void res.status(401).json({ error: 'unauthorized' })
    res.json(identity)
  })
  const server = await new Promise<import('node:http').Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s))
  })
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const localhostUrl = url.replace('127.0.0.1', 'localhost')
  const redirectUris = Object.keys(ORG_SETTINGS).flatMap((org) => [oidcRedirectUri(url, org), oidcRedirectUri(localhostUrl, org)])
  idp = await startTestIdp({ redirectUris, accounts: TEST_ACCOUNTS })
  const started = idp

  return {
    url,
    localhostUrl,
    idp: started,
    identities,
    advanceClock: (ms) => {
      offset += ms
    },
    startUrl: (orgId) => `${url}/api/auth/oidc/${orgId}/start`,
    close: async () => {
      await started.close()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

/**
 * Follows `startUrl` to the IdP's page, presses "Sign in as <account>" (or Cancel) and follows on, stopping
 * before any hop `stopAt` picks (e.g. the callback, to tamper with it).
 */
export async function signInThroughIdp(jar: CookieJar, startUrl: string, choice: { account: string } | 'cancel', stopAt?: (next: URL) => boolean): ReturnType<CookieJar['follow']> {
  const page = await jar.follow(startUrl)
  if (!('res' in page) || !page.url.pathname.startsWith('/interaction/')) throw new Error(`expected the IdP's sign-in page, got ${'res' in page ? `${page.res.status} ${page.url.href}` : 'a stop'}`)
  await page.res.text()
  const action = new URL(`${page.url.pathname}/${choice === 'cancel' ? 'abort' : 'login'}`, page.url)
  const body = choice === 'cancel' ? '' : new URLSearchParams({ account: choice.account }).toString()
  return jar.follow(action, { init: { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body }, ...(stopAt ? { stopAt } : {}) })
}
