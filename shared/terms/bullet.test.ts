import { describe, expect, it } from 'vitest'
import { computeSchedule } from './schedule.ts'

describe('bullet (一次性还本付息)', () => {
  it('1,200.00 at 12 % over 3 months: nothing until month 3, then principal + simple interest', () => {
    // Simple interest: 120,000 × 12 % / 12 × 3 = 3,600, rounded once.
    const r = computeSchedule({ principal: 120_000, annualRatePct: '12', termMonths: 3, method: 'bullet' })
    expect(r.payments).toEqual([
      { period: 1, payment: 0, principal: 0, interest: 0, balance: 120_000 },
      { period: 2, payment: 0, principal: 0, interest: 0, balance: 120_000 },
      { period: 3, payment: 123_600, principal: 120_000, interest: 3_600, balance: 0 },
    ])
    expect(r.regularInstalment).toBe(123_600)
    expect(r.totalInterest).toBe(3_600)
    // IRR of [−120,000, 0, 0, 123,600]: (1.03)^(1/3) − 1 = 0.990163 % a month → APR 11.8820 %, EAR 12.5509 %
    // (simple interest compounds less than 1 % a month, so the APR is below the nominal 12 %).
    expect(r.aprPct).toBe('11.8820')
    expect(r.earPct).toBe('12.5509')
  })

  it('rounds the simple interest half up once', () => {
    // 1,001 × 1 % × 5 = 50.05 → 50 (not five roundings of 10.01).  1,010 × 1 % × 5 = 50.5 → 51.
    const a = computeSchedule({ principal: 1_001, annualRatePct: '12', termMonths: 5, method: 'bullet' })
    expect(a.payments.at(-1)?.interest).toBe(50)
    const b = computeSchedule({ principal: 1_010, annualRatePct: '12', termMonths: 5, method: 'bullet' })
    expect(b.payments.at(-1)?.interest).toBe(51)
  })

  it('refuses a grace period', () => {
    expect(() => computeSchedule({ principal: 1_000, annualRatePct: '12', termMonths: 5, method: 'bullet', graceMonths: 1 })).toThrow(RangeError)
  })
})
