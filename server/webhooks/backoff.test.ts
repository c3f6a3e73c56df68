import { describe, expect, it } from 'vitest'
import { DEFAULT_RETRY, nextAttemptAt, retryAfter, retryDelay } from './backoff.ts'

const HOUR = 3600_000

describe('webhook retry schedule', () => {
  it('doubles from the base, capped, with its jitter in the upper half of each step', () => {
    const low = (a: number): number => retryDelay(a, DEFAULT_RETRY, () => 0)
    const high = (a: number): number => retryDelay(a, DEFAULT_RETRY, () => 1)
    expect([1, 2, 3, 4].map(high)).toEqual([5_000, 10_000, 20_000, 40_000])
    expect([1, 2, 3, 4].map(low)).toEqual([2_500, 5_000, 10_000, 20_000])
    expect(high(12)).toBe(HOUR)
    expect(high(500)).toBe(HOUR)
    for (let a = 1; a < 40; a++) {
      const d = retryDelay(a, DEFAULT_RETRY)
      expect(d).toBeGreaterThanOrEqual(low(a))
      expect(d).toBeLessThanOrEqual(high(a))
    }
  })

  it('retries for 24 hours and then parks: attempts and the time they span, at both ends of the jitter', () => {
    for (const r of [() => 0, () => 1, Math.random]) {
      let now = 0
      let attempts = 1
      for (;;) {
        const next = nextAttemptAt(attempts, 0, now, DEFAULT_RETRY, 0, r)
        if (next === null) break
        expect(next).toBeGreaterThan(now)
        now = next
        attempts++
      }
      // The last attempt falls inside the day and the next wait would leave it.
      expect(now).toBeLessThanOrEqual(24 * HOUR)
      expect(now + retryDelay(attempts, DEFAULT_RETRY, () => 0)).toBeGreaterThan(24 * HOUR - HOUR)
      expect(attempts).toBeGreaterThanOrEqual(30)
      expect(attempts).toBeLessThanOrEqual(60)
    }
  })

  it('the window starts again at a redelivery, and Retry-After is honoured', () => {
    const policy = { baseMs: 100, capMs: 1_000, maxAgeMs: 5_000 }
    expect(nextAttemptAt(1, 0, 4_950, policy, 0, () => 1)).toBeNull()
    expect(nextAttemptAt(1, 4_000, 4_950, policy, 0, () => 1)).toBe(5_050)
    expect(nextAttemptAt(1, 0, 1_000, policy, 3_000, () => 1)).toBe(3_000)
    expect(retryAfter('7', 1_000)).toBe(8_000)
    expect(retryAfter(new Date(60_000).toUTCString(), 0)).toBe(60_000)
    expect(retryAfter('soon', 0)).toBe(0)
    expect(retryAfter(null, 0)).toBe(0)
  })
})
