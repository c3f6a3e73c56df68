// Which browser origins may open the websockets (Yjs and socket.io): the page's own origin (the
// Origin's host is the request's Host), PUBLIC_URL's, and ALLOWED_ORIGINS. A request without an
// Origin header is not from a browser page and is judged by its token alone.
import type { IncomingMessage } from 'node:http'

export interface OriginPolicy {
  /** Exact origins (`https://app.example.com`), or '*' for any. */
  allowedOrigins: readonly string[]
  publicUrl?: string
}

function originOf(url: string): string | null {
  try {
    return new URL(url).origin.toLowerCase()
  } catch {
    return null
  }
}

export function originAllowed(req: IncomingMessage, policy: OriginPolicy): boolean {
  const origin = req.headers.origin
  if (origin === undefined) return true
  if (policy.allowedOrigins.includes('*')) return true
  const parsed = originOf(origin)
  if (parsed === null) return false
  let host: string
  try {
    host = new URL(parsed).host
  } catch {
    return false
  }
  if (req.headers.host && host === req.headers.host.toLowerCase()) return true
  if (policy.publicUrl && originOf(policy.publicUrl) === parsed) return true
  return policy.allowedOrigins.some((o) => originOf(o) === parsed)
}
