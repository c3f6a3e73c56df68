import { describe, expect, it } from 'vitest'
import { computeSchedule } from './schedule.ts'

describe('equal principal (等额本金)', () => {
  it('1,200.00 at 12 % over 3 months: 400.00 principal a month plus falling interest', () => {
    // 120,000 / 3 = 40,000 principal; interest 1 % of 120,000 / 80,000 / 40,000 = 1,200 / 800 / 400.
    const r = computeSchedule({ principal: 120_000, annualRatePct: '12', termMonths: 3, method: 'equal_principal' })
    expect(r.payments).toEqual([
      { period: 1, payment: 41_200, principal: 40_000, interest: 1_200, balance: 80_000 },
      { period: 2, payment: 40_800, principal: 40_000, interest: 800, balance: 40_000 },
      { period: 3, payment: 40_400, principal: 40_000, interest: 400, balance: 0 },
    ])
    expect(r.totalInterest).toBe(2_400)
    expect(r.totalPaid).toBe(122_400)
    expect(r.regularInstalment).toBe(41_200) // the first, highest payment
    expect(r.aprPct).toBe('12.0000')
  })

  it('rounds the principal part half up and lets the last month take what is left', () => {
    // 100,000 / 3 = 33,333.33 → 33,333; last principal = 100,000 − 66,666 = 33,334; rate 0 → no interest.
    const r = computeSchedule({ principal: 100_000, annualRatePct: '0', termMonths: 3, method: 'equal_principal' })
    expect(r.payments.map((p) => p.principal)).toEqual([33_333, 33_333, 33_334])
    // 7 / 4 = 1.75 → 2 a month: 2, 2, 2 and the last only 1 (never below zero).
    const small = computeSchedule({ principal: 7, annualRatePct: '0', termMonths: 4, method: 'equal_principal' })
    expect(small.payments.map((p) => p.principal)).toEqual([2, 2, 2, 1])
    // 30 / 40 = 0.75 → 1 a month: repaid after 30 months, the last 10 rows are zero.
    const tiny = computeSchedule({ principal: 30, annualRatePct: '0', termMonths: 40, method: 'equal_principal' })
    expect(tiny.payments.slice(0, 30).every((p) => p.principal === 1)).toBe(true)
    expect(tiny.payments.slice(30).every((p) => p.payment === 0 && p.balance === 0)).toBe(true)
  })
})
