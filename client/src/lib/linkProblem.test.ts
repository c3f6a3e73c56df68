import { describe, expect, it } from 'vitest'
import { linkProblem } from './linkProblem.ts'

const NOW = 1_800_000_000_000

/** An unsigned token of the server's shape (the client never verifies the signature). */
function token(claims: Record<string, unknown>): string {
  const part = (x: unknown) => Buffer.from(JSON.stringify(x)).toString('base64url')
  return `${part({ alg: 'HS256', typ: 'JWT' })}.${part(claims)}.c2ln`
}

const good = token({ room: 'r1', role: 'lender', name: 'Bank', exp: NOW / 1000 + 3600 })

describe('linkProblem', () => {
  it('names the server-named refusals', () => {
    expect(linkProblem('revoked', good, 'r1', NOW)).toBe('revoked')
    expect(linkProblem('token_expired', good, 'r1', NOW)).toBe('expired')
    expect(linkProblem('not_found', good, 'r1', NOW)).toBe('noRoom')
  })

  it('tells an expired link from its claims, the server calling it unauthorized', () => {
    const expired = token({ room: 'r1', role: 'lender', name: 'Bank', exp: NOW / 1000 - 1 })
    expect(linkProblem('unauthorized', expired, 'r1', NOW)).toBe('expired')
  })

  it('tells a link for another room', () => {
    const other = token({ room: 'r2', role: 'lender', name: 'Bank', exp: NOW / 1000 + 3600 })
    expect(linkProblem('forbidden', other, 'r1', NOW)).toBe('wrongRoom')
  })

  it('calls a link that does not read or whose signature fails damaged', () => {
    expect(linkProblem('unauthorized', 'abc.%%%.def', 'r1', NOW)).toBe('damaged')
    expect(linkProblem('unauthorized', good.slice(0, 30), 'r1', NOW)).toBe('damaged')
    expect(linkProblem('unauthorized', good, 'r1', NOW)).toBe('damaged')
  })

  it('calls no link at all missing', () => {
    expect(linkProblem('unauthorized', '', 'r1', NOW)).toBe('missing')
    expect(linkProblem('unauthorized', null, 'r1', NOW)).toBe('missing')
  })

  it('leaves refusals that are not about the link to the caller', () => {
    expect(linkProblem('network', good, 'r1', NOW)).toBeNull()
    expect(linkProblem('unavailable', good, 'r1', NOW)).toBeNull()
  })

  it('decides from the code alone for a live connection (no token at hand)', () => {
    expect(linkProblem('forbidden', undefined, '', NOW)).toBe('wrongRoom')
    expect(linkProblem('unauthorized', undefined, '', NOW)).toBe('damaged')
    expect(linkProblem('revoked', undefined, '', NOW)).toBe('revoked')
  })
})
