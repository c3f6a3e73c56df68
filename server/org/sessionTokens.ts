// Staff session credentials: the cookie holds 32 random bytes; the store holds their SHA-256 (a leaked
// database opens no session) and the session's CSRF token.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'

export const SESSION_COOKIE = 'nr_session'
export const CSRF_HEADER = 'x-csrf-token'

export interface NewSessionSecret {
  /** The cookie's value: shown to the browser once, never stored. */
  token: string
  idHash: string
  csrfToken: string
}

export function newSessionSecret(): NewSessionSecret {
  const token = randomBytes(32).toString('base64url')
  return { token, idHash: sessionIdHash(token), csrfToken: randomBytes(32).toString('base64url') }
}

export function sessionIdHash(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}

/** The request's X-CSRF-Token against the session's, in constant time. */
export function csrfMatches(presented: string | undefined, expected: string): boolean {
  if (!presented) return false
  const a = createHash('sha256').update(presented).digest()
  const b = createHash('sha256').update(expected).digest()
  return timingSafeEqual(a, b)
}

/** GET, HEAD and OPTIONS change nothing: only the others need the CSRF token. */
export function changesState(method: string): boolean {
  return !['GET', 'HEAD', 'OPTIONS'].includes(method.toUpperCase())
}
