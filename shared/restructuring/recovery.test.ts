import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { computeSchedule } from '../terms/index.ts'
import { termsArb } from '../../test/support/terms/arbitraries.ts'
import { presentValue, ratioPct } from './recovery.ts'

describe('presentValue', () => {
  it('discounts exactly and rounds once (hand-computed)', () => {
    // Payments 98,667 / 98,667 / 98,666 at 12 % a year: monthly rate 1/100, discount factor 100/101.
    //   PV = (98667·100·101² + 98667·100²·101 + 98666·100³) / 101³
    //      = (100,650,206,700 + 99,653,670,000 + 98,666,000,000) / 1,030,301
    //      = 298,969,876,700 / 1,030,301 = 290,177 remainder 223,423
    //   2 × 223,423 = 446,846 < 1,030,301, so half up rounds down: PV = 290,177.
    expect(presentValue([98_667, 98_667, 98_666], '12')).toBe(290_177)
  })

  it('adds what is received at signing undiscounted, and at 0 % is the plain sum', () => {
    expect(presentValue([98_667, 98_667, 98_666], '12', 1_000)).toBe(291_177)
    expect(presentValue([1, 2, 3, 0, 5], '0', 7)).toBe(18)
    expect(presentValue([], '12', 5)).toBe(5)
    // An exact half goes up: 101 at 1 % a month is worth exactly 100; 1.5 → 2.
    expect(presentValue([101], '12')).toBe(100)
    expect(presentValue([0, 0], '12', 0)).toBe(0)
  })

  it('at the loan’s own rate, the payments are worth the principal (within the per-period roundings)', () => {
    fc.assert(
      // Not bullet: it pays simple interest, worth less than the principal at a compound rate.
      fc.property(termsArb({ fee: false, maxPrincipal: 10 ** 11, methods: ['annuity', 'equal_principal', 'interest_only'] }), (terms) => {
        const r = computeSchedule(terms)
        const pv = presentValue(
          r.payments.map((p) => p.payment),
          terms.annualRatePct,
        )
        // Each period's interest is rounded by at most half a unit; discounted, the error stays under the term.
        expect(Math.abs(pv - terms.principal)).toBeLessThanOrEqual(Math.ceil(terms.termMonths / 2) + 1)
      }),
      { numRuns: 150 },
    )
  })
})

describe('ratioPct', () => {
  it('gives hundredths of a percent, half up', () => {
    expect(ratioPct(290_177, 300_000)).toBe('96.73') // 96.7256…
    expect(ratioPct(1, 3)).toBe('33.33')
    expect(ratioPct(2, 3)).toBe('66.67')
    expect(ratioPct(1, 8)).toBe('12.50')
    expect(ratioPct(1, 80_000)).toBe('0.00') // 0.00125 % rounds down
    expect(ratioPct(1, 16)).toBe('6.25')
    expect(ratioPct(-1, 3)).toBe('-33.33')
  })
})
