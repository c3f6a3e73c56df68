import { describe, expect, it } from 'vitest'
import { computeSchedule } from './schedule.ts'

describe('interest only (先息后本)', () => {
  it('1,200.00 at 12 % over 3 months: 12.00 interest a month, principal with the last', () => {
    // interest = 1 % × 120,000 = 1,200 every month; the last adds the 120,000.
    const r = computeSchedule({ principal: 120_000, annualRatePct: '12', termMonths: 3, method: 'interest_only' })
    expect(r.payments).toEqual([
      { period: 1, payment: 1_200, principal: 0, interest: 1_200, balance: 120_000 },
      { period: 2, payment: 1_200, principal: 0, interest: 1_200, balance: 120_000 },
      { period: 3, payment: 121_200, principal: 120_000, interest: 1_200, balance: 0 },
    ])
    expect(r.regularInstalment).toBe(1_200)
    expect(r.totalInterest).toBe(3_600)
    expect(r.aprPct).toBe('12.0000')
  })
})
