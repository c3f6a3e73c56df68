import { describe, expect, it } from 'vitest'
import { computeSchedule } from './schedule.ts'
import { solve, solveRate, solveTerm } from './solve.ts'
import type { Terms } from './types.ts'

const base: Terms = { principal: 10_000_000, annualRatePct: '6', termMonths: 12, method: 'annuity' }

describe('solveTerm', () => {
  it('finds the shortest term whose instalment fits the target', () => {
    // 100,000.00 at 6 %: 120 months → 111,020.50 → 111,021; 119 months → 111,702.11 → 111,702.
    expect(solveTerm(base, 111_021)).toEqual({ impossible: false, termMonths: 120, instalment: 111_021 })
    expect(solveTerm(base, 111_701)).toEqual({ impossible: false, termMonths: 120, instalment: 111_021 })
    expect(solveTerm(base, 111_702)).toEqual({ impossible: false, termMonths: 119, instalment: 111_702 })
    expect(solve.term).toBe(solveTerm)
  })

  it('is impossible when even 600 months cost more, and trivial when 1 month fits', () => {
    // 600 months at 6 %: the instalment stays above the 50,000.00 interest, so 50,000 is impossible.
    expect(solveTerm(base, 50_000)).toEqual({ impossible: true })
    expect(solveTerm(base, 10_050_000)).toEqual({ impossible: false, termMonths: 1, instalment: 10_050_000 })
  })

  it('agrees with a linear scan over exact schedules (equal principal with grace)', () => {
    const terms: Terms = { principal: 5_000_000, annualRatePct: '9.5', termMonths: 24, method: 'equal_principal', graceMonths: 3 }
    const target = 120_000
    let expected = -1
    for (let n = 4; n <= 600 && expected < 0; n++) if (computeSchedule({ ...terms, termMonths: n }).regularInstalment <= target) expected = n
    const got = solveTerm(terms, target)
    expect(got.impossible).toBe(false)
    if (!got.impossible) expect(got.termMonths).toBe(expected)
  })

  it('gives a bullet loan its shortest term only (its single payment grows with the term)', () => {
    const bullet: Terms = { principal: 100_000, annualRatePct: '12', termMonths: 12, method: 'bullet' }
    expect(solveTerm(bullet, 101_000)).toEqual({ impossible: false, termMonths: 1, instalment: 101_000 })
    expect(solveTerm(bullet, 100_999)).toEqual({ impossible: true })
  })
})

describe('solveRate', () => {
  it('finds the highest 4-decimal rate whose instalment fits the target', () => {
    const got = solveRate({ ...base, termMonths: 120 }, 111_021)
    expect(got.impossible).toBe(false)
    if (got.impossible) return
    expect(got.annualRatePct).toMatch(/^\d+\.\d{4}$/)
    expect(Number(got.annualRatePct)).toBeGreaterThanOrEqual(6)
    expect(got.instalment).toBeLessThanOrEqual(111_021)
    // One ten-thousandth of a percent more no longer fits.
    const next = (Math.round(Number(got.annualRatePct) * 10_000) + 1) / 10_000
    expect(computeSchedule({ ...base, termMonths: 120, annualRatePct: next.toFixed(4) }).regularInstalment).toBeGreaterThan(111_021)
    expect(solve.rate).toBe(solveRate)
  })

  it('answers 0.0000 when only an interest-free loan fits, impossible below that, 100.0000 at the top', () => {
    // 0 %: 10,000,000 / 12 = 833,333.33 → 833,333.
    expect(solveRate(base, 833_333)).toEqual({ impossible: false, annualRatePct: '0.0000', instalment: 833_333 })
    expect(solveRate(base, 833_332)).toEqual({ impossible: true })
    expect(solveRate(base, 10 ** 12)).toMatchObject({ impossible: false, annualRatePct: '100.0000' })
  })
})
