// /api/auth: staff sign-in with a password, sign-out, and who is signed in. The session is an httpOnly,
// SameSite=Lax cookie (Secure over HTTPS, or behind a TRUST_PROXY proxy that says X-Forwarded-Proto: https,
// or when PUBLIC_URL is https); its CSRF token is in the answer, for the X-CSRF-Token header.
import type { Request, Response } from 'express'
import { Router } from 'express'
import { validateChangePassword, validateLogin } from '../../shared/schema/staff.schema.ts'
import { retrySeconds } from '../edge/Budget.ts'
import { clientAddress } from '../edge/clientAddress.ts'
import type { Logger } from '../log.ts'
import type { LoginThrottle } from '../org/LoginThrottle.ts'
import type { StartedSession } from '../org/OrgAccounts.ts'
import { SESSION_COOKIE } from '../org/sessionTokens.ts'
import { sendError, sendRefusal } from './errors.ts'
import { cookieValue } from '../auth/cookieValue.ts'
import { answered, type PrincipalResolver } from './principals.ts'

export interface StaffAuthContext {
  principals: PrincipalResolver
  throttle: LoginThrottle
  trustProxy: boolean
  publicUrl?: string
  sessionTtlMs: number
  log: Logger
}

/** Whether the browser reached us over HTTPS (directly, through a trusted proxy, or by the public URL). */
export function isHttps(req: Request, trustProxy: boolean, publicUrl?: string): boolean {
  if ((req.socket as { encrypted?: boolean }).encrypted) return true
  const proto = req.get('x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase()
  if (trustProxy && proto === 'https') return true
  return publicUrl?.toLowerCase().startsWith('https:') ?? false
}

/** Sets the session cookie of a new session: the seam's other half (the OIDC callback answers with it too). */
export function setSessionCookie(res: Response, started: StartedSession, secure: boolean, maxAgeMs: number): void {
  res.cookie(SESSION_COOKIE, started.token, { httpOnly: true, sameSite: 'lax', secure, path: '/', maxAge: maxAgeMs })
}

function clearSessionCookie(res: Response, secure: boolean): void {
  res.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'lax', secure, path: '/' })
}

export function staffAuthRouter(o: StaffAuthContext): Router {
  const router = Router()
  const accounts = o.principals.accounts

  router.post('/api/auth/login', async (req, res) => {
    const checked = validateLogin(req.body)
    if (!checked.ok) return sendError(res, 'invalid_payload', checked.error)
    const { email, password, orgId, org } = checked.value
    const address = clientAddress(req.socket.remoteAddress, req.headers, o.trustProxy) ?? 'unknown'
    const wait = await o.throttle.attempt(email, address)
    if (wait > 0) {
      res.setHeader('Retry-After', String(retrySeconds(wait)))
      return sendError(res, 'rate_limited', 'too many failed sign-ins; try again later')
    }
    const staff = await accounts.checkPassword(email, password, { ...(orgId ? { orgId } : {}), ...(org ? { org } : {}) })
    if (!staff) {
      o.log.info({ address }, 'staff sign-in failed')
      return sendError(res, 'unauthorized', 'the e-mail address or the password is wrong')
    }
    await o.throttle.succeeded(email, address)
    // A new sign-in in this browser replaces its earlier session rather than leaving it alive beside it.
    const previous = cookieValue(req.get('cookie'), SESSION_COOKIE)
    if (previous !== undefined) await accounts.endSession(previous)
    const started = await accounts.startSession(staff)
    setSessionCookie(res, started, isHttps(req, o.trustProxy, o.publicUrl), o.sessionTtlMs)
    o.log.info({ staffId: staff.id, orgId: staff.orgId }, 'staff signed in')
    res.json(started.info)
  })

  router.post('/api/auth/logout', async (req, res) => {
    const who = answered(res, await o.principals.resolve(req))
    if (!who) return
    if (who.kind !== 'staff') return sendError(res, 'unauthorized', 'no staff session to end')
    await accounts.endSession(cookieValue(req.get('cookie'), SESSION_COOKIE)!)
    clearSessionCookie(res, isHttps(req, o.trustProxy, o.publicUrl))
    res.status(204).end()
  })

  router.post('/api/auth/password', async (req, res) => {
    const who = answered(res, await o.principals.resolve(req))
    if (!who) return
    if (who.kind !== 'staff') return sendError(res, 'unauthorized', 'not signed in')
    const checked = validateChangePassword(req.body)
    if (!checked.ok) return sendError(res, 'invalid_payload', checked.error)
    const changed = await accounts.changePassword(who.staff, checked.value.current, checked.value.password, who.session)
    if (changed !== true) return sendRefusal(res, changed)
    o.log.info({ staffId: who.staff.id }, 'staff password changed')
    res.status(204).end()
  })

  router.get('/api/auth/me', async (req, res) => {
    const who = answered(res, await o.principals.resolve(req))
    if (!who) return
    if (who.kind !== 'staff') return sendError(res, 'unauthorized', 'not signed in')
    res.json(accounts.sessionInfo(who))
  })

  return router
}
