// Properties of every schedule, over generated terms (fast-check).
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { monthlyRate, parseRate } from './rate.ts'
import { computeSchedule } from './schedule.ts'
import { termsFitSafeRange } from './safeRange.ts'
import { ratePct, termsArb } from '../../test/support/terms/arbitraries.ts'
import type { ScheduleResult, Terms } from './types.ts'

const RUNS = { numRuns: 300 }

function capitalizedInterest(terms: Terms, r: ScheduleResult): number {
  if (terms.graceInterest !== 'capitalize') return 0
  return r.payments.slice(0, terms.graceMonths ?? 0).reduce((s, p) => s + p.interest, 0)
}

describe('every schedule', () => {
  it('has exactly termMonths rows, ends at balance 0, and no amount is negative or fractional', () => {
    fc.assert(
      fc.property(termsArb(), (terms) => {
        const r = computeSchedule(terms)
        expect(r.payments).toHaveLength(terms.termMonths)
        expect(r.payments.map((p) => p.period)).toEqual(Array.from({ length: terms.termMonths }, (_, i) => i + 1))
        expect(r.payments.at(-1)?.balance).toBe(0)
        const bad = r.payments.filter((p) => [p.payment, p.principal, p.interest, p.balance].some((v) => !Number.isSafeInteger(v) || v < 0))
        expect(bad).toEqual([])
      }),
      RUNS,
    )
  })

  it('moves the balance by exactly interest − payment each month, and pays principal + interest (or nothing)', () => {
    fc.assert(
      fc.property(termsArb(), (terms) => {
        const r = computeSchedule(terms)
        let balance = terms.principal
        const bad = r.payments.filter((p) => {
          const moved = p.balance === balance + p.interest - p.payment
          balance = p.balance
          // A capitalized grace month pays nothing; a bullet's waiting months accrue nothing on the rows.
          return !moved || (p.payment === 0 ? p.principal !== 0 : p.payment !== p.principal + p.interest)
        })
        expect(bad).toEqual([])
      }),
      RUNS,
    )
  })

  it('repays in principal parts exactly the principal plus the capitalized interest; totals add up', () => {
    fc.assert(
      fc.property(termsArb(), (terms) => {
        const r = computeSchedule(terms)
        const principalParts = r.payments.reduce((s, p) => s + p.principal, 0)
        expect(principalParts).toBe(terms.principal + capitalizedInterest(terms, r))
        expect(r.totalPaid).toBe(r.payments.reduce((s, p) => s + p.payment, 0))
        expect(r.totalInterest).toBe(r.totalPaid - terms.principal)
        expect(r.aprPct).toMatch(/^-?\d+\.\d{4}$/)
        expect(r.earPct).toMatch(/^-?\d+\.\d{4}$/)
      }),
      RUNS,
    )
  })
})

describe('annuity', () => {
  it('pays the same instalment every post-grace month; the last differs only by the compounded rounding', () => {
    fc.assert(
      fc.property(termsArb({ methods: ['annuity'] }), (terms) => {
        const r = computeSchedule(terms)
        const grace = terms.graceMonths ?? 0
        const post = r.payments.slice(grace)
        const a = r.regularInstalment
        const last = post[post.length - 1]?.payment ?? -1
        const paidOff = post.findIndex((p, j) => j < post.length - 1 && p.balance === 0)
        if (paidOff >= 0) {
          // A rounded-up instalment repaid the balance early: that row pays at most A, the rest nothing.
          expect(post.slice(0, paidOff).every((p) => p.payment === a)).toBe(true)
          expect(post[paidOff]!.payment).toBeLessThanOrEqual(a)
          expect(post.slice(paidOff + 1).every((p) => p.payment === 0)).toBe(true)
          return
        }
        expect(post.slice(0, -1).every((p) => p.payment === a)).toBe(true)
        // With B the post-grace balance, r = num/den, A* the exact instalment, δ = A − A*, s = ((1+r)^m − 1)/r:
        // last − A = −δ·s + Σ η_k (1+r)^(m−k) where each |η_k| ≤ ½ is one interest rounding,
        // so |last − A + δ·s| ≤ s/2. Checked exactly in BigInt, scaled by den^m·num.
        const b = BigInt(grace > 0 ? r.payments[grace - 1]!.balance : terms.principal)
        const m = BigInt(post.length)
        const { num, den } = monthlyRate(parseRate(terms.annualRatePct))
        if (num === 0n) {
          expect(BigInt(a) * (m - 1n) + BigInt(last)).toBe(b)
          return
        }
        const g = (den + num) ** m
        const dm = den ** m
        const x = (BigInt(last) - BigInt(a)) * dm * num + BigInt(a) * (g - dm) * den - b * g * num
        const sScaled = (g - dm) * den // s · den^m · num
        expect((x < 0n ? -x : x) * 2n <= sScaled, `last ${last} vs A ${a}`).toBe(true)
      }),
      RUNS,
    )
  })
})

describe('APR', () => {
  it('equals the nominal rate (4 decimals) without a fee, for every method but bullet, on real loan sizes', () => {
    // Each interest rounding (≤ ½ minor unit) moves the monthly IRR by at most about 1/principal; from 10^8
    // minor units (1,000,000.00) that is < 10^-8, well inside the half-unit of the 4th decimal (4.2·10^-8).
    // Below ~2.4·10^7 the rounding is a real cost difference and the APR shows it (see apr.test.ts).
    fc.assert(
      fc.property(termsArb({ minPrincipal: 100_000_000, methods: ['annuity', 'equal_principal', 'interest_only'], fee: false }), (terms) => {
        expect(computeSchedule(terms).aprPct).toBe(fixed4(terms.annualRatePct))
      }),
      RUNS,
    )
  })

  it('a fee never lowers the APR, and one of 0.1 % or more raises it (above nominal for non-bullet loans)', () => {
    fc.assert(
      fc.property(termsArb({ minPrincipal: 10_000_000 }), fc.integer({ min: 1, max: 999 }), (terms, perMille) => {
        const fee = Math.max(1, Math.floor((terms.principal * perMille) / 1000))
        const withoutFee = computeSchedule({ ...terms, upfrontFee: 0 })
        const withFee = computeSchedule({ ...terms, upfrontFee: fee })
        expect(Number(withFee.aprPct)).toBeGreaterThan(Number(withoutFee.aprPct))
        expect(withFee.totalPaid).toBe(withoutFee.totalPaid) // the fee is neither paid nor interest
        if (terms.method !== 'bullet' && terms.principal >= 100_000_000) {
          expect(Number(withFee.aprPct)).toBeGreaterThan(Number(terms.annualRatePct))
        }
      }),
      RUNS,
    )
  })
})

describe('a higher rate', () => {
  const higher = (terms: Terms, step: number): Terms => {
    const { num, den } = parseRate(terms.annualRatePct)
    const k = Number((num * 1_000_000n) / den)
    const t = { ...terms, annualRatePct: ratePct(Math.min(1_000_000, k + step)) }
    // A higher rate may capitalize past 2^53 minor units, which the schema refuses: such pairs are skipped.
    const rate = monthlyRate(parseRate(t.annualRatePct))
    fc.pre(termsFitSafeRange(t.principal, rate, t.termMonths, t.graceMonths ?? 0, t.graceInterest ?? 'capitalize'))
    return t
  }

  it('never lowers total interest where each month’s interest is the only rounding (exact, any step)', () => {
    // equal_principal without capitalized grace repays fixed parts; interest_only and bullet have one interest
    // figure: each rounded interest is monotone in the rate, so the totals are too.
    const exactly = fc.oneof(
      termsArb({ methods: ['interest_only', 'bullet'] }),
      termsArb({ methods: ['equal_principal'], graceInterest: ['pay'] }),
    )
    fc.assert(
      fc.property(exactly, fc.integer({ min: 1, max: 50_000 }), (terms, step) => {
        expect(computeSchedule(higher(terms, step)).totalInterest).toBeGreaterThanOrEqual(computeSchedule(terms).totalInterest)
      }),
      RUNS,
    )
  })

  it('never lowers total interest of an annuity on real loans (≥ 1,000,000.00, ≤ 24 %, ≤ 360 months, steps ≥ 0.01 %)', () => {
    // The rounded instalment can step up by one minor unit as the rate rises a hair, repaying faster and saving
    // more interest than the hair costs: rounding noise is bounded by s = ((1+r)^m − 1)/r minor units, the
    // exact increase is at least m·Δr·B/2, and these bounds keep the second above twice the first.
    // Outside them the contract's rounding really can do that (see the 72 % example in schedule.test.ts).
    const real = termsArb({ minPrincipal: 100_000_000, maxRateK: 240_000, maxTerm: 360, methods: ['annuity', 'equal_principal'] })
    fc.assert(
      fc.property(real, fc.integer({ min: 100, max: 50_000 }), (terms, step) => {
        expect(computeSchedule(higher(terms, step)).totalInterest).toBeGreaterThanOrEqual(computeSchedule(terms).totalInterest)
      }),
      RUNS,
    )
  })
})

function fixed4(pct: string): string {
  const [whole, frac = ''] = pct.split('.')
  return `${whole}.${frac.padEnd(4, '0')}`
}
