import { describe, expect, it } from 'vitest'
import { roundHalfUp } from './rounding.ts'

describe('roundHalfUp', () => {
  it('rounds halves up and the rest to nearest (bigint)', () => {
    expect(roundHalfUp(5n, 2n)).toBe(3n) // 2.5 → 3
    expect(roundHalfUp(7n, 3n)).toBe(2n) // 2.333 → 2
    expect(roundHalfUp(8n, 3n)).toBe(3n) // 2.667 → 3
    expect(roundHalfUp(-5n, 2n)).toBe(-2n) // −2.5 → −2 (toward +∞)
    expect(roundHalfUp(-7n, 2n)).toBe(-3n) // −3.5 → −3
    expect(roundHalfUp(0n, 7n)).toBe(0n)
  })

  it('is exact far beyond 2^53 (bigint)', () => {
    // 10^13 principal × 100 % / 12 with 10^6 denominators: the product is ~10^25.
    const n = 10n ** 13n * 1_000_000n
    expect(roundHalfUp(n, 12_000_000n)).toBe(833_333_333_333n) // 833,333,333,333.33…
    expect(roundHalfUp(2n ** 80n + 1n, 2n)).toBe(2n ** 79n + 1n) // x.5 → up
  })

  it('has an exact number form that agrees with the bigint form', () => {
    expect(roundHalfUp(5, 2)).toBe(3)
    expect(roundHalfUp(-5, 2)).toBe(-2)
    expect(roundHalfUp(100, 3)).toBe(33)
    // 2·n + d leaves the safe range here: falls back to BigInt, stays exact.
    expect(roundHalfUp(Number.MAX_SAFE_INTEGER, 2)).toBe(Number((BigInt(Number.MAX_SAFE_INTEGER) + 1n) / 2n))
  })

  it('refuses what it cannot do exactly', () => {
    expect(() => roundHalfUp(1, 0)).toThrow(RangeError)
    expect(() => roundHalfUp(1n, -2n)).toThrow(RangeError)
    expect(() => roundHalfUp(1.5, 2)).toThrow(RangeError)
  })
})
