import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { newPrincipal } from '../restructuring/newPrincipal.ts'
import { WAIVER_CATEGORIES } from '../restructuring/waivers.ts'
import { baselineArb, handContent, waiversWithin } from '../../test/support/restructuring/example.ts'
import { breakdownOf } from './breakdown.ts'
import { validateContent } from './validateContent.ts'

describe("breakdownOf (the new principal of a room's content)", () => {
  it('is exact for any valid baseline and waivers (checked in BigInt)', () => {
    fc.assert(
      fc.property(
        baselineArb.chain((b) => fc.tuple(fc.constant(b), waiversWithin(b))),
        ([b, w]) => {
          const r = newPrincipal(b, w)
          const big = (n: number | undefined) => BigInt(n ?? 0)
          const sum = big(b.outstandingPrincipal) + big(b.accruedInterest) + big(b.penaltyInterest) + big(b.fees)
          const waived = big(w.accruedInterest) + big(w.penaltyInterest) + big(w.fees)
          expect(BigInt(r.totalOwed)).toBe(sum)
          expect(BigInt(r.waivers.total)).toBe(waived)
          expect(BigInt(r.newPrincipal)).toBe(sum - waived)
          expect(r.newPrincipal).toBeGreaterThanOrEqual(b.outstandingPrincipal)
          // The content validates and the breakdown is the one the room computes.
          const content = { ...handContent(), baseline: { ...b }, waivers: { ...w }, commitments: {} }
          expect(breakdownOf(content)).toMatchObject({ ok: true, breakdown: r })
        },
      ),
      { numRuns: 300 },
    )
  })

  it('refuses any waiver larger than its category, with the path and the baseline amount', () => {
    fc.assert(
      fc.property(
        baselineArb,
        fc.constantFrom(...WAIVER_CATEGORIES),
        fc.integer({ min: 1, max: 10 ** 9 }),
        (b, category, excess) => {
          const waivers = { [category]: b[category] + excess, [`${category}Reason`]: 'r' }
          const content = { ...handContent(), baseline: { ...b }, waivers, commitments: {} }
          const r = validateContent(content)
          expect(r.ok).toBe(false)
          expect(r.errors).toContain(`/waivers/${category}: must be <= the baseline ${category} (${b[category]})`)
          expect(breakdownOf(content)).toEqual({ ok: false, errors: r.errors })
        },
      ),
      { numRuns: 200 },
    )
  })

  it('refuses negative and non-integer waivers', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...WAIVER_CATEGORIES),
        fc.oneof(fc.integer({ min: -(10 ** 12), max: -1 }), fc.double({ min: 0.001, max: 1e6, noNaN: true }).filter((x) => !Number.isInteger(x))),
        (category, value) => {
          const r = validateContent({ ...handContent(), waivers: { [category]: value, [`${category}Reason`]: 'r' } })
          expect(r.ok).toBe(false)
          expect(r.errors).toEqual([`/waivers/${category}: ${value < 0 ? 'must be >= 0' : 'must be integer'}`])
        },
      ),
      { numRuns: 100 },
    )
  })

  it('is not computed outside a restructuring room', () => {
    expect(breakdownOf({ baseline: {}, waivers: {} })).toBeNull()
  })
})
