import { describe, expect, it } from 'vitest'
import { buildRows, computeSchedule } from './schedule.ts'
import { METHODS } from '../../test/support/terms/arbitraries.ts'
import type { Terms } from './types.ts'

describe('computeSchedule edge cases', () => {
  it.each(METHODS)('%s: a 1-month term is one payment of principal + one month of interest', (method) => {
    // 100,000 × 12 % / 12 = 1,000 for every method (bullet: simple interest for 1 month is the same).
    const r = computeSchedule({ principal: 100_000, annualRatePct: '12', termMonths: 1, method })
    expect(r.payments).toEqual([{ period: 1, payment: 101_000, principal: 100_000, interest: 1_000, balance: 0 }])
    expect(r.regularInstalment).toBe(101_000)
  })

  it.each(METHODS)('%s: 600 months of 10^13 at 100 % stay exact', (method) => {
    const terms: Terms = { principal: 10 ** 13, annualRatePct: '100', termMonths: 600, method }
    const r = computeSchedule(terms)
    expect(r.payments).toHaveLength(600)
    expect(r.payments.at(-1)?.balance).toBe(0)
    expect(r.payments.reduce((s, p) => s + p.principal, 0)).toBe(10 ** 13)
    expect(r.totalInterest).toBe(r.totalPaid - 10 ** 13)
    expect(Number.isSafeInteger(r.totalPaid)).toBe(true)
  })

  it('interest-only 10^13 at 100 %: 833,333,333,333 a month (10^13 / 12 = …333.33), 600 times', () => {
    const r = computeSchedule({ principal: 10 ** 13, annualRatePct: '100', termMonths: 600, method: 'interest_only' })
    expect(r.regularInstalment).toBe(833_333_333_333)
    expect(r.totalInterest).toBe(833_333_333_333 * 600)
  })

  it('at extreme rates the contract rounding turns an annuity into interest plus a balloon', () => {
    // 72.1633 % over 368 months: the exact instalment exceeds the first month's interest by only
    // B·r/((1+r)^m − 1) ≈ 0.3 fen, so both round to 544,730,121: no principal is ever repaid until the last
    // payment takes it all. This is what "instalment rounded half up, last absorbs" means there.
    const r = computeSchedule({ principal: 9_058_290_637, annualRatePct: '72.1633', termMonths: 368, method: 'annuity' })
    expect(r.regularInstalment).toBe(544_730_121)
    expect(r.payments.slice(0, -1).every((p) => p.principal === 0 && p.payment === 544_730_121)).toBe(true)
    expect(r.payments.at(-1)?.payment).toBe(9_058_290_637 + 544_730_121)
  })

  it('refuses a capitalized grace that would outgrow exact integers instead of computing wrong figures', () => {
    const terms: Terms = { principal: 10 ** 13, annualRatePct: '100', termMonths: 600, method: 'annuity', graceMonths: 300 }
    expect(() => computeSchedule(terms)).toThrow(/exceed 9007199254740991/)
    // The same with interest paid during grace is fine.
    expect(computeSchedule({ ...terms, graceInterest: 'pay' }).payments).toHaveLength(600)
  })

  it('refuses terms the schema refuses (the engine trusts only validated terms)', () => {
    const ok: Terms = { principal: 1_000, annualRatePct: '5', termMonths: 12, method: 'annuity' }
    expect(() => computeSchedule({ ...ok, termMonths: 0 })).toThrow(RangeError)
    expect(() => computeSchedule({ ...ok, principal: 0 })).toThrow(RangeError)
    expect(() => computeSchedule({ ...ok, graceMonths: 12 })).toThrow(RangeError)
    expect(() => computeSchedule({ ...ok, upfrontFee: 1_000 })).toThrow(RangeError)
    expect(() => computeSchedule({ ...ok, annualRatePct: '5%' })).toThrow(RangeError)
    expect(() => computeSchedule({ ...ok, method: 'balloon' as never })).toThrow(RangeError)
  })

  it('buildRows gives the rows and instalment without the APR', () => {
    const { rows, regularInstalment } = buildRows({ principal: 120_000, annualRatePct: '12', termMonths: 3, method: 'annuity' })
    expect(rows.map((r) => r.payment)).toEqual([40_803, 40_803, 40_802])
    expect(regularInstalment).toBe(40_803)
  })

  it('does not mutate the terms it is given', () => {
    const terms: Terms = { principal: 120_000, annualRatePct: '12', termMonths: 3, method: 'annuity', graceMonths: 1 }
    const copy = structuredClone(terms)
    computeSchedule(terms)
    expect(terms).toEqual(copy)
  })
})
