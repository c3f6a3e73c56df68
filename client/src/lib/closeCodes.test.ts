import { describe, expect, it } from 'vitest'
import { closeAction, retryAfterMs, shouldReconnect } from './closeCodes.ts'

describe('close codes', () => {
  it('starts over after a refused write, stops on a bad or oversized message, retries the rest', () => {
    expect(closeAction(4403, 'forbidden_write: profile')).toEqual({ kind: 'restart', reason: 'forbidden_write: profile' })
    expect(closeAction(1009, 'too big')).toMatchObject({ kind: 'stop', code: 1009 })
    expect(closeAction(4400, 'invalid_update: x')).toMatchObject({ kind: 'stop', code: 4400 })
    // An expired or revoked link: the same link can never reconnect.
    expect(closeAction(4401, 'token_expired: your invitation has expired; ask for a new link')).toMatchObject({ kind: 'stop', code: 4401 })
    expect(shouldReconnect(4401)).toBe(false)
    expect(closeAction(1006, '').kind).toBe('retry')
    expect(closeAction(1011, 'storage_failure').kind).toBe('retry')
    // Over a room quota: the local change can never apply, start over (and the notice says why).
    expect(closeAction(4413, 'quota_exceeded: this proposal is too long')).toEqual({ kind: 'restart', reason: 'quota_exceeded: this proposal is too long' })
    // A broken room reloads on the server: reconnect.
    expect(closeAction(4503, 'room_broken: reopening').kind).toBe('retry')
    expect(shouldReconnect(1009)).toBe(false)
    expect(closeAction(4429, 'rate_limited: x; retry in 4 s')).toEqual({ kind: 'wait', ms: 4000, reason: 'rate_limited: x; retry in 4 s' })
    expect(retryAfterMs('rate_limited')).toBe(5000)
    expect(retryAfterMs('retry in 9999 s')).toBe(60_000)
    expect(shouldReconnect(1001)).toBe(true)
  })
})
