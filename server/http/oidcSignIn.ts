// Sign-in through an organisation's identity provider, wired: the routes of server/auth/oidc with the
// organisation's settings from the store, and a verified identity turned into a staff session. The browser
// ends on the client either way: the staff landing page, or the same page with ?signin_error=<code>.
import type { Request, Response } from 'express'
import type { Router } from 'express'
import type { OidcErrorCode } from '../../shared/protocol/oidc.ts'
import type { OidcSignIn } from '../auth/oidc/OidcSignIn.ts'
import { oidcRoutes } from '../auth/oidc/oidcRoutes.ts'
import { pendingCookieKey } from '../auth/oidc/pendingCookie.ts'
import type { Logger } from '../log.ts'
import type { OidcSettings } from '../org/OidcSettings.ts'
import type { OrgAccounts } from '../org/OrgAccounts.ts'
import { SESSION_COOKIE } from '../org/sessionTokens.ts'
import { cookieValue } from '../auth/cookieValue.ts'
import { setSessionCookie } from './staffAuth.ts'

/** Where a signed-in member lands (the client has no staff page of its own yet; the lobby is where staff work). */
export const SIGNED_IN_PATH = '/lobby'

/** Where a refused sign-in lands: the page the member came from, with the refusal's stable code for the UI to translate. */
export function signInErrorPath(code: OidcErrorCode): string {
  return `${SIGNED_IN_PATH}?signin_error=${encodeURIComponent(code)}`
}

export interface OidcSignInContext {
  accounts: OrgAccounts
  settings: OidcSettings
  /** The server's SECRET: the pending cookie's key is derived from it. */
  secret: string
  publicUrl?: string
  /** Whether this request came over HTTPS (staffAuth's isHttps), for the Secure flag of both cookies. */
  secure(req: Request): boolean
  sessionTtlMs: number
  signIn?: OidcSignIn
  log: Logger
}

export function oidcSignInRouter(o: OidcSignInContext): Router {
  const refused = (res: Response, orgId: string, code: OidcErrorCode, message: string): void => {
    o.log.info({ orgId, error: code, reason: message }, 'sign-in through the identity provider refused')
    res.redirect(303, signInErrorPath(code))
  }
  return oidcRoutes({
    configFor: (orgId) => o.settings.configFor(orgId),
    cookieKey: pendingCookieKey(o.secret),
    ...(o.publicUrl ? { publicUrl: o.publicUrl } : {}),
    secureCookies: o.secure,
    ...(o.signIn ? { signIn: o.signIn } : {}),
    onIdentity: async (orgId, identity, req, res) => {
      const started = await o.accounts.signInIdentity({
        orgId,
        // Qualified by the issuer: after an admin switches providers, the new one's "sub" values cannot land on
        // members the old one's identified (subjects are only unique per issuer).
        subject: `${identity.issuer} ${identity.subject}`,
        email: identity.email,
        emailVerified: identity.emailVerified,
        name: identity.name,
        ...(identity.rolesFromIdp ? { roles: identity.roles } : {}),
      })
      if ('ok' in started) return refused(res, orgId, started.error, started.message)
      // A new sign-in in this browser replaces its earlier session rather than leaving it alive beside it.
      const previous = cookieValue(req.get('cookie'), SESSION_COOKIE)
      if (previous !== undefined) await o.accounts.endSession(previous)
      setSessionCookie(res, started, o.secure(req), o.sessionTtlMs)
      o.log.info({ staffId: started.info.staff.id, orgId }, 'staff signed in through the identity provider')
      res.redirect(303, SIGNED_IN_PATH)
    },
    onError: (orgId, err, _req, res) => refused(res, orgId, err.code, err.message),
  })
}
