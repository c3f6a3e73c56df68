// A real OpenID Connect identity provider for the tests: oidc-provider on loopback, one confidential client
// (client_secret_basic, PKCE required), fixed test accounts, and an interaction page that signs in as the
// account whose button is pressed (or cancels) — usable by a browser and by a cookie-jar fetch alike.
import { randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { exportJWK, generateKeyPair } from 'jose'
import Provider, { type Configuration } from 'oidc-provider'

export interface TestAccount {
  sub: string
  email?: string
  email_verified?: boolean
  name?: string
  roles?: string[]
  groups?: string[]
}

export interface TestIdp {
  issuer: string
  clientId: string
  clientSecret: string
  /** How many requests reached each path (e.g. "/.well-known/openid-configuration", "/jwks"). */
  hits: Map<string, number>
  close(): Promise<void>
}

export interface TestIdpOptions {
  redirectUris: string[]
  accounts: readonly TestAccount[]
}

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

async function formBody(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'))
}

function interactionPage(uid: string, accounts: readonly TestAccount[]): string {
  const buttons = accounts.map((a) => `<button type="submit" name="account" value="${escapeHtml(a.sub)}">Sign in as ${escapeHtml(a.name ?? a.sub)}</button>`).join('\n')
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Test identity provider</title></head><body>
<h1>Test identity provider</h1>
<form method="post" action="/interaction/${uid}/login">${buttons}</form>
<form method="post" action="/interaction/${uid}/abort"><button type="submit">Cancel</button></form>
</body></html>`
}

export async function startTestIdp(o: TestIdpOptions): Promise<TestIdp> {
  const clientId = 'negotiation-room-test'
  const clientSecret = randomBytes(24).toString('base64url')
  const accounts = new Map(o.accounts.map((a) => [a.sub, a]))
  let provider: Provider | undefined
  const hits = new Map<string, number>()

  const interaction = async (req: IncomingMessage, res: ServerResponse, idp: Provider, path: string): Promise<void> => {
    const [, uid = '', action] = /^\/interaction\/([^/]+)(?:\/(login|abort))?$/.exec(path) ?? []
    if (req.method === 'GET' && action === undefined) {
      await idp.interactionDetails(req, res) // refuses an unknown or expired interaction
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(interactionPage(uid, o.accounts))
      return
    }
    if (req.method !== 'POST' || action === undefined) {
      res.writeHead(404).end()
      return
    }
    const form = await formBody(req)
    const details = await idp.interactionDetails(req, res)
    if (action === 'abort') {
      await idp.interactionFinished(req, res, { error: 'access_denied', error_description: 'End-User aborted interaction' }, { mergeWithLastSubmission: false })
      return
    }
    const account = accounts.get(form.get('account') ?? '')
    if (!account) {
      res.writeHead(400).end('unknown account')
      return
    }
    // Login and consent in one step: the grant covers every scope the client asked for.
    const grant = details.grantId ? await idp.Grant.find(details.grantId) : new idp.Grant({ accountId: account.sub, clientId: String(details.params.client_id) })
    if (!grant) throw new Error('grant vanished')
    grant.addOIDCScope(String(details.params.scope ?? 'openid'))
    const grantId = await grant.save()
    await idp.interactionFinished(req, res, { login: { accountId: account.sub }, consent: { grantId } }, { mergeWithLastSubmission: false })
  }

  const server = createServer((req, res) => {
    const idp = provider
    const path = new URL(req.url ?? '/', 'http://idp').pathname
    hits.set(path, (hits.get(path) ?? 0) + 1)
    if (!idp) return void res.writeHead(503).end()
    if (!path.startsWith('/interaction/')) return void idp.callback()(req, res)
    interaction(req, res, idp, path).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(400, { 'content-type': 'text/plain' }).end(err instanceof Error ? err.message : String(err))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

  const { privateKey } = await generateKeyPair('RS256', { extractable: true })
  const configuration: Configuration = {
    clients: [{ client_id: clientId, client_secret: clientSecret, redirect_uris: o.redirectUris, response_types: ['code'], grant_types: ['authorization_code'], token_endpoint_auth_method: 'client_secret_basic' }],
    jwks: { keys: [{ ...(await exportJWK(privateKey)), alg: 'RS256', use: 'sig', kid: 'test' }] },
    cookies: { keys: [randomBytes(32).toString('hex')] },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'], roles: ['roles'], groups: ['groups'] },
    findAccount: (_ctx, sub) => {
      const account = accounts.get(sub)
      return account ? { accountId: sub, claims: () => ({ ...account }) } : undefined
    },
    interactions: { url: (_ctx, i) => `/interaction/${i.uid}` },
    features: { devInteractions: { enabled: false } },
    // Proves the app sends PKCE: without a code_challenge the IdP refuses.
    pkce: { required: () => true },
    ttl: { AccessToken: 600, AuthorizationCode: 60, IdToken: 600, Interaction: 600, Session: 3600, Grant: 3600 },
    renderError: (ctx, out) => {
      ctx.type = 'html'
      ctx.body = `<!doctype html><h1>${escapeHtml(String(out.error))}</h1><p>${escapeHtml(String(out.error_description ?? ''))}</p>`
    },
  }
  provider = new Provider(issuer, configuration)

  return {
    issuer,
    clientId,
    clientSecret,
    hits,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
