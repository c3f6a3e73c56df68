// GET /api/auth/oidc/:orgId/start and /callback: the browser's round trip through the organisation's identity
// provider. What a signed-in identity becomes (a session, a redirect) is the caller's onIdentity.
import { Router, type Request, type Response } from 'express'
import type { OrgOidcConfig } from '../../../shared/protocol/oidc.ts'
import { baseUrl } from '../../http/invites.ts'
import { OidcError } from './OidcError.ts'
import { OidcSignIn, PENDING_TTL_MS, type OidcIdentity } from './OidcSignIn.ts'
import { openPending, PENDING_COOKIE, sealPending } from './pendingCookie.ts'
import { cookieValue } from '../cookieValue.ts'

export const OIDC_PATH = '/api/auth/oidc'
const ORG_ID = /^[A-Za-z0-9_-]{1,64}$/

export interface OidcRoutesOptions {
  /** The organisation's identity provider, or null when it has none (or does not exist). */
  configFor(orgId: string): Promise<OrgOidcConfig | null> | OrgOidcConfig | null
  /** The person signed in: create the session and answer (usually a redirect). */
  onIdentity(orgId: string, identity: OidcIdentity, req: Request, res: Response): Promise<void> | void
  /** A refused sign-in; by default `{error, message}` with the error's status. E.g. redirect to the sign-in page with the code. */
  onError?(orgId: string, error: OidcError, req: Request, res: Response): Promise<void> | void
  /** 32 bytes (pendingCookieKey(SECRET)). */
  cookieKey: Uint8Array
  /** Base of the redirect URI (PUBLIC_URL); else the request's own origin. */
  publicUrl?: string
  signIn?: OidcSignIn
  /** Secure cookies (or a per-request test, e.g. through a trusted proxy); by default when PUBLIC_URL is https, or else when the request came over HTTPS. */
  secureCookies?: boolean | ((req: Request) => boolean)
  now?: () => number
}

/** The redirect URI to register at the identity provider for an organisation. */
export function oidcRedirectUri(base: string, orgId: string): string {
  return `${base.replace(/\/+$/, '')}${OIDC_PATH}/${encodeURIComponent(orgId)}/callback`
}

export function oidcRoutes(o: OidcRoutesOptions): Router {
  const now = o.now ?? Date.now
  const signIn = o.signIn ?? new OidcSignIn({ now })
  const router = Router()
  const secure = (req: Request): boolean =>
    typeof o.secureCookies === 'function' ? o.secureCookies(req) : (o.secureCookies ?? (o.publicUrl ? o.publicUrl.startsWith('https:') : req.secure))
  // Lax, not Strict: the callback is a top-level navigation from the identity provider's site.
  const cookieOptions = (req: Request) => ({ httpOnly: true, sameSite: 'lax' as const, secure: secure(req), path: OIDC_PATH })

  const refuse = async (orgId: string, err: unknown, req: Request, res: Response): Promise<void> => {
    if (!(err instanceof OidcError)) throw err
    if (o.onError) return o.onError(orgId, err, req, res)
    res.status(err.status).json(err.toRefusal())
  }

  const configOf = async (orgId: string): Promise<OrgOidcConfig> => {
    const config = ORG_ID.test(orgId) ? await o.configFor(orgId) : null
    if (!config) throw new OidcError('oidc_not_configured', 'this organisation does not sign in through an identity provider')
    return config
  }

  router.get(`${OIDC_PATH}/:orgId/start`, async (req, res) => {
    const orgId = req.params.orgId
    res.setHeader('Cache-Control', 'no-store')
    try {
      const config = await configOf(orgId)
      const { authorizationUrl, pending } = await signIn.beginSignIn(config, oidcRedirectUri(baseUrl(req, o.publicUrl), orgId))
      res.cookie(PENDING_COOKIE, await sealPending(o.cookieKey, orgId, pending), { ...cookieOptions(req), maxAge: PENDING_TTL_MS })
      res.redirect(303, authorizationUrl.href)
    } catch (err) {
      await refuse(orgId, err, req, res)
    }
  })

  router.get(`${OIDC_PATH}/:orgId/callback`, async (req, res) => {
    const orgId = req.params.orgId
    res.setHeader('Cache-Control', 'no-store')
    // One use, whatever happens: a replayed callback finds nothing to complete.
    res.clearCookie(PENDING_COOKIE, cookieOptions(req))
    let identity: OidcIdentity
    try {
      const config = await configOf(orgId)
      const pending = await openPending(o.cookieKey, orgId, cookieValue(req.get('cookie'), PENDING_COOKIE), now())
      // The URL the IdP redirected to: the registered redirect URI (not this request's possibly proxied host) with its query.
      const query = req.originalUrl.indexOf('?')
      const currentUrl = new URL(`${pending.redirectUri}${query === -1 ? '' : req.originalUrl.slice(query)}`)
      identity = await signIn.completeSignIn(config, currentUrl, pending)
    } catch (err) {
      return refuse(orgId, err, req, res)
    }
    await o.onIdentity(orgId, identity, req, res)
  })

  return router
}
