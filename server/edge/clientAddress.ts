// The client's address for limits and the consent record: the socket's own, or with TRUST_PROXY the
// first X-Forwarded-For entry (the proxy is then the one that must be trusted to set it).
import type { IncomingHttpHeaders } from 'node:http'

/** "::ffff:10.0.0.1" → "10.0.0.1". */
export function plainAddress(a: string): string {
  return a.startsWith('::ffff:') ? a.slice(7) : a
}

export function clientAddress(socketAddress: string | undefined, headers: IncomingHttpHeaders, trustProxy: boolean): string | null {
  let ip = socketAddress ? plainAddress(socketAddress) : null
  const forwarded = headers['x-forwarded-for']
  if (trustProxy && forwarded) {
    const first = (Array.isArray(forwarded) ? forwarded[0]! : forwarded).split(',')[0]!.trim()
    if (first) ip = plainAddress(first).slice(0, 100)
  }
  return ip
}
