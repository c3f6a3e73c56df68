import { describe, expect, it } from 'vitest'
import { computeSchedule } from './schedule.ts'

describe('grace months', () => {
  it('capitalize: interest joins the balance, then the annuity runs on the grown balance', () => {
    // Month 1: 1 % of 120,000 = 1,200 → balance 121,200, nothing paid.
    // Then 3 months annuity on 121,200: A = 121,200 × 0.0103030 / 0.030301 = 41,210.68 → 41,211.
    const r = computeSchedule({
      principal: 120_000,
      annualRatePct: '12',
      termMonths: 4,
      method: 'annuity',
      graceMonths: 1,
      graceInterest: 'capitalize',
    })
    expect(r.payments).toEqual([
      { period: 1, payment: 0, principal: 0, interest: 1_200, balance: 121_200 },
      // interest 1 % × 121,200 = 1,212
      { period: 2, payment: 41_211, principal: 39_999, interest: 1_212, balance: 81_201 },
      // interest 812.01 → 812
      { period: 3, payment: 41_211, principal: 40_399, interest: 812, balance: 40_802 },
      // interest 408.02 → 408; last takes the balance: 40,802 + 408
      { period: 4, payment: 41_210, principal: 40_802, interest: 408, balance: 0 },
    ])
    expect(r.regularInstalment).toBe(41_211)
    // Principal parts repay the principal plus the capitalized 1,200.
    expect(r.payments.reduce((s, p) => s + p.principal, 0)).toBe(121_200)
    expect(r.totalPaid).toBe(123_632)
    expect(r.totalInterest).toBe(3_632)
    // Compounding at 1 % a month all along, but on 1,200.00 the rounding shows: months 3 and 4 round
    // 812.01 and 408.02 down, so the IRR of [−120,000, 0, 41,211, 41,211, 41,210] is 11.99990 % (checked
    // by bisection in 60-digit decimals). On real loan sizes the APR is the nominal rate (property test).
    expect(r.aprPct).toBe('11.9999')
  })

  it('capitalize compounds month on month', () => {
    // 100,000 at 12 %: 1,000 → 101,000; 1,010 → 102,010; then interest-only on 102,010: 1,020.10 → 1,020.
    const r = computeSchedule({ principal: 100_000, annualRatePct: '12', termMonths: 4, method: 'interest_only', graceMonths: 2 })
    expect(r.payments.map((p) => [p.payment, p.interest, p.balance])).toEqual([
      [0, 1_000, 101_000],
      [0, 1_010, 102_010],
      [1_020, 1_020, 102_010],
      [103_030, 1_020, 0],
    ])
  })

  it('pay: interest-only rows, then the method over the remaining months on the unchanged balance', () => {
    // Month 1 pays 1,200 interest; then months 2–4 are the 3-month annuity of 120,000 at 1 %: 40,803 (see annuity test).
    const r = computeSchedule({
      principal: 120_000,
      annualRatePct: '12',
      termMonths: 4,
      method: 'annuity',
      graceMonths: 1,
      graceInterest: 'pay',
    })
    expect(r.payments).toEqual([
      { period: 1, payment: 1_200, principal: 0, interest: 1_200, balance: 120_000 },
      { period: 2, payment: 40_803, principal: 39_603, interest: 1_200, balance: 80_397 },
      { period: 3, payment: 40_803, principal: 39_999, interest: 804, balance: 40_398 },
      { period: 4, payment: 40_802, principal: 40_398, interest: 404, balance: 0 },
    ])
    expect(r.regularInstalment).toBe(40_803)
  })

  it('equal principal after grace spreads the grown balance over the remaining months', () => {
    // Capitalize 2 months of 100,000 at 12 % → 102,010; 102,010 / 2 = 51,005 a month.
    const r = computeSchedule({ principal: 100_000, annualRatePct: '12', termMonths: 4, method: 'equal_principal', graceMonths: 2 })
    expect(r.payments.slice(2).map((p) => [p.payment, p.principal, p.interest])).toEqual([
      [52_025, 51_005, 1_020], // 1 % of 102,010 = 1,020.10 → 1,020
      [51_515, 51_005, 510], // 1 % of 51,005 = 510.05 → 510
    ])
  })
})
