import { describe, expect, it } from 'vitest'
import { compare, compareResults } from './compare.ts'
import { computeSchedule } from './schedule.ts'
import type { Terms } from './types.ts'

const original: Terms = { principal: 100_000_000, annualRatePct: '4.9', termMonths: 360, method: 'annuity' }

describe('compare', () => {
  it('answers "what do I gain" for a lower rate: instalment, totals, APR', () => {
    // 4.9 % → 530,727 a month (annuity.test.ts); 4.35 %: 10^8 × r(1+r)^360/((1+r)^360 − 1) = 497,811.79 → 497,812.
    const c = compare(original, { ...original, annualRatePct: '4.35' })
    expect(c.original.regularInstalment).toBe(530_727)
    expect(c.proposal.regularInstalment).toBe(497_812)
    expect(c.change.regularInstalment).toBe(497_812 - 530_727)
    expect(c.change.totalPaid).toBe(c.proposal.totalPaid - c.original.totalPaid)
    expect(c.change.totalPaid).toBeLessThan(0)
    expect(c.change.totalInterest).toBe(c.change.totalPaid) // same principal
    expect(c.change.aprPct).toBe('-0.5500') // 4.3500 − 4.9000, exact decimal
    expect(c.change.lastPaymentMonths).toBe(0)
    expect(c.original.lastPaymentDate).toBeNull()
  })

  it('dates the last payment from the first due date and counts the months gained', () => {
    // Period 1 on 2025-01-31; period 360 is 359 months later: 2054-12-31. 300 months end 2049-12-31.
    const c = compare(original, { ...original, termMonths: 300 }, { firstDueDate: '2025-01-31' })
    expect(c.original.lastPaymentDate).toBe('2054-12-31')
    expect(c.proposal.lastPaymentDate).toBe('2049-12-31')
    expect(c.change.lastPaymentMonths).toBe(-60)
    // A shorter term costs more per month (578,778.61 → 578,779) and less in total.
    expect(c.change.regularInstalment).toBe(578_779 - 530_727)
    expect(c.change.totalInterest).toBeLessThan(0)
    // The date may also be passed on its own.
    expect(compare(original, original, '2025-02-28').original.lastPaymentDate).toBe('2055-01-28')
  })

  it('compares a grace period against no grace: same principal, later and higher', () => {
    const c = compare(original, { ...original, graceMonths: 6, graceInterest: 'capitalize' })
    expect(c.change.lastPaymentMonths).toBe(0) // grace is inside the term
    expect(c.change.regularInstalment).toBeGreaterThan(0) // capitalized interest, fewer months
    expect(c.change.totalInterest).toBeGreaterThan(0)
    expect(c.change.aprPct).toBe('0.0000')
  })

  it('takes the last period that pays, and works from results as well', () => {
    // 3 fen at 0 % over 4 months repays in month 3 (annuity.test.ts): the last payment is period 3.
    const tiny = computeSchedule({ principal: 3, annualRatePct: '0', termMonths: 4, method: 'annuity' })
    const c = compareResults(tiny, computeSchedule({ principal: 3, annualRatePct: '0', termMonths: 3, method: 'annuity' }))
    expect(c.original.lastPaymentPeriod).toBe(3)
    expect(c.change.lastPaymentMonths).toBe(0)
  })
})
