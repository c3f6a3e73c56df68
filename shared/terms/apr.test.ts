import { describe, expect, it } from 'vitest'
import { aprAndEar, monthlyIrr } from './apr.ts'
import { computeSchedule } from './schedule.ts'

// Expected figures below come from a bisection on the same cash flows in Python's decimal module at
// 60–80 significant digits, rounded half up to 4 decimals (independent of this float Newton solver).

describe('APR and EAR', () => {
  it('an upfront fee raises the APR above the nominal rate', () => {
    // 1,200.00 at 12 % over 3 months (40,803 / 40,803 / 40,802) with a 12.00 fee: received 118,800.
    const r = computeSchedule({ principal: 120_000, annualRatePct: '12', termMonths: 3, method: 'annuity', upfrontFee: 1_200 })
    expect(r.aprPct).toBe('18.1317')
    expect(r.earPct).toBe('19.7170')
    // The fee is neither paid nor interest: the totals are those of the fee-free loan.
    expect(r.totalPaid).toBe(122_408)
    expect(r.totalInterest).toBe(2_408)
  })

  it('rounding shows on a tiny loan: the same loan without fee is 12.0002 %, not 12 %', () => {
    // Month 2 rounds 803.97 up to 804, so [−120,000, 40,803, 40,803, 40,802] yields 12.000247 %.
    expect(aprAndEar(120_000, [40_803, 40_803, 40_802])).toEqual({ aprPct: '12.0002', earPct: '12.6828' })
  })

  it('rate 0 without a fee is exactly 0; with a fee it is positive', () => {
    expect(aprAndEar(100_000, [33_333, 33_333, 33_334])).toEqual({ aprPct: '0.0000', earPct: '0.0000' })
    const r = computeSchedule({ principal: 100_000, annualRatePct: '0', termMonths: 3, method: 'annuity', upfrontFee: 1_000 })
    expect(r.aprPct).toBe('6.0504')
    expect(r.earPct).toBe('6.2211')
  })

  it('a 600-month bullet: 599 empty months, then (1 + 0.0435/12 × 600) × principal', () => {
    // 100,000,000 + 100,000,000 × 0.0435 / 12 × 600 = 317,500,000 at month 600; i = 3.175^(1/600) − 1.
    const r = computeSchedule({ principal: 100_000_000, annualRatePct: '4.35', termMonths: 600, method: 'bullet' })
    expect(r.payments.at(-1)?.payment).toBe(317_500_000)
    expect(r.aprPct).toBe('2.3128')
    expect(r.earPct).toBe('2.3375')
  })

  it('stays finite and exact in form at absurd rates (fee = principal − 1)', () => {
    // Received 1 fen, repaid 10^13 + 833,333,333,333 a month later: i = 10,833,333,333,332 per month.
    const r = computeSchedule({ principal: 10 ** 13, annualRatePct: '100', termMonths: 1, method: 'bullet', upfrontFee: 10 ** 13 - 1 })
    // APR = 1200 × i = 1.29999999999984 × 10^16 %: float-precise to ~15 digits, written without exponent.
    expect(r.aprPct).toMatch(/^\d{17}\.\d{4}$/)
    expect(Number(r.aprPct) / 1.29999999999984e16).toBeCloseTo(1, 12)
    expect(r.earPct).toMatch(/^[1-9]\d{158}\.\d{4}$/) // (1 + i)^12 ≈ 2.61 × 10^156 → 2.61 × 10^158 %, written out in full
  })

  it('solves flows with leading zero payments and long horizons', () => {
    const flows = [...new Array<number>(599).fill(0), 1_000]
    // (1000 / 500)^(1/600) − 1 = 0.0011559 a month → 1.3871 % a year.
    expect(monthlyIrr(500, flows)).toBeCloseTo(Math.pow(2, 1 / 600) - 1, 14)
    expect(aprAndEar(500, flows).aprPct).toBe('1.3871')
  })

  it('handles payments that add up to less than received (negative IRR)', () => {
    // [−1000, 990 a month later] → i = −1 %.
    expect(monthlyIrr(1_000, [990])).toBeCloseTo(-0.01, 14)
    expect(aprAndEar(1_000, [500, 400]).aprPct.startsWith('-')).toBe(true)
  })

  it('refuses flows that have no IRR', () => {
    expect(() => monthlyIrr(0, [100])).toThrow(RangeError)
    expect(() => monthlyIrr(100, [0, 0])).toThrow(RangeError)
    expect(() => monthlyIrr(100, [-5, 200])).toThrow(RangeError)
  })
})
