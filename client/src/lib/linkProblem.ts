// Why a room link does not open the room, told apart so each case says what to do and whom to ask.
// The server answers `revoked` and `token_expired` by name; an expired link at the door, a damaged one and one
// for another room all come as `unauthorized`/`forbidden`, so the link's own (unverified) claims tell them apart.
import { readTokenClaims } from './session.ts'

export type LinkProblem = 'missing' | 'expired' | 'revoked' | 'damaged' | 'wrongRoom' | 'noRoom'

/**
 * The link problem behind a refusal `error` of `token` for `roomId`, or null when the refusal is not about the
 * link (network, server trouble…). Without a token at hand (a refusal of a live connection) the code alone decides.
 */
export function linkProblem(error: string, token: string | null | undefined, roomId: string, now = Date.now()): LinkProblem | null {
  if (error === 'revoked') return 'revoked'
  if (error === 'token_expired') return 'expired'
  if (error === 'not_found') return 'noRoom'
  if (error !== 'unauthorized' && error !== 'forbidden') return null
  if (token === undefined) return error === 'forbidden' ? 'wrongRoom' : 'damaged'
  if (!token) return 'missing'
  const claims = readTokenClaims(token)
  if (!claims || typeof claims.room !== 'string') return 'damaged'
  if (typeof claims.exp === 'number' && claims.exp * 1000 <= now) return 'expired'
  if (claims.room !== roomId) return 'wrongRoom'
  return error === 'forbidden' ? 'wrongRoom' : 'damaged'
}

export const LINK_PROBLEM_KEYS = {
  missing: 'conn.link.missing',
  expired: 'conn.link.expired',
  revoked: 'conn.link.revoked',
  damaged: 'conn.link.damaged',
  wrongRoom: 'conn.link.wrongRoom',
  noRoom: 'conn.link.noRoom',
} as const satisfies Record<LinkProblem, string>
