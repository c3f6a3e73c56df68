import { describe, expect, it } from 'vitest'
import { changesState, csrfMatches, newSessionSecret, sessionIdHash } from './sessionTokens.ts'

describe('session secrets and the CSRF check', () => {
  it('stores only the hash of the cookie value, and a separate CSRF token', () => {
    const s = newSessionSecret()
    expect(s.token).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(s.idHash).toBe(sessionIdHash(s.token))
    expect(s.idHash).not.toContain(s.token)
    expect(s.csrfToken).not.toBe(s.token)
    expect(newSessionSecret().token).not.toBe(s.token)
  })

  it('accepts exactly the session CSRF token', () => {
    const { csrfToken } = newSessionSecret()
    expect(csrfMatches(csrfToken, csrfToken)).toBe(true)
    expect(csrfMatches(undefined, csrfToken)).toBe(false)
    expect(csrfMatches('', csrfToken)).toBe(false)
    expect(csrfMatches(`${csrfToken}x`, csrfToken)).toBe(false)
    expect(csrfMatches(newSessionSecret().csrfToken, csrfToken)).toBe(false)
  })

  it('asks for it on every method that can change state', () => {
    for (const m of ['POST', 'PUT', 'PATCH', 'DELETE', 'post']) expect(changesState(m)).toBe(true)
    for (const m of ['GET', 'HEAD', 'OPTIONS', 'get']) expect(changesState(m)).toBe(false)
  })
})
