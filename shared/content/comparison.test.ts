import { describe, expect, it } from 'vitest'
import { restructuringComparison } from '../restructuring/recovery.ts'
import { affordability } from '../terms/index.ts'
import { HAND_BASELINE, handContent } from '../../test/support/restructuring/example.ts'
import { comparisonOf } from './comparison.ts'
import { checkContent } from './validateContent.ts'

describe('restructuringComparison (the hand-worked room)', () => {
  // Baseline: 290,000 principal + 6,000 accrued + 3,000 penalty + 1,000 fees = 300,000 owed; 4,000 waived.
  // Plan: 296,000 at 0 % over 3 months (annuity): 98,667 + 98,667 + 98,666 = 296,000.
  // Without the plan: 10,000 arrears at once, then the original 3 months at 12 % on 290,000
  //   (98,606 + 98,606 + 98,607 = 295,819): 305,819 in all.
  const c = comparisonOf(handContent())!

  it('shows the borrower what is saved and the monthly burden', () => {
    expect(c.borrower).toMatchObject({
      baselineAmount: 300_000,
      waived: 4_000,
      newPrincipal: 296_000,
      baseline: { arrears: 10_000, remainingMonths: 3, regularInstalment: 98_606, remainingPaid: 295_819, totalToPay: 305_819 },
      plan: { regularInstalment: 98_667, totalPaid: 296_000, totalInterest: 0, upfrontFee: 0, totalToPay: 296_000, aprPct: '0.0000' },
      totalSaved: 9_819,
      monthlyChange: 61,
    })
    const profile = { monthlyIncome: 400_000, monthlyExpenses: 200_000, otherDebtPayments: 20_000 }
    expect(c.borrower.affordability).toEqual({
      baseline: affordability(profile, { regularInstalment: 98_606 }),
      plan: affordability(profile, { regularInstalment: 98_667 }),
    })
    expect(c.borrower.affordability?.plan.debtServiceRatioPct).toBe('29.7%') // 118,667 / 400,000
  })

  it('shows the lender the recovery value at the original rate against the baseline amount', () => {
    expect(c.lender).toEqual({
      baselineAmount: 300_000,
      discountAnnualRatePct: '12',
      nominalReceived: 296_000,
      presentValue: 290_177,
      valueChange: -9_823,
      recoveryRatioPct: '96.73',
    })
  })

  it('counts an upfront fee at signing for the lender and in the borrower’s total', () => {
    const content = handContent()
    content.terms['upfrontFee'] = 1_000
    const withFee = comparisonOf(content)!
    expect(withFee.lender.presentValue).toBe(291_177)
    expect(withFee.lender.nominalReceived).toBe(297_000)
    expect(withFee.borrower.plan.totalToPay).toBe(297_000)
    expect(withFee.borrower.totalSaved).toBe(8_819)
  })

  it('treats a matured contract as all due now', () => {
    const content = handContent()
    content.baseline['originalRemainingMonths'] = 0
    delete content.baseline['originalMethod']
    const matured = comparisonOf(content)!
    expect(matured.borrower.baseline).toEqual({ arrears: 10_000, remainingMonths: 0, regularInstalment: null, remainingPaid: 0, totalToPay: 300_000 })
    expect(matured.borrower.monthlyChange).toBeNull()
    expect(matured.borrower.affordability?.baseline).toBeNull()
    expect(matured.borrower.totalSaved).toBe(4_000)
  })

  it('is null outside a restructuring room or for invalid content; the same from checked parts', () => {
    expect(comparisonOf({ ...handContent(), baseline: {}, waivers: {}, commitments: {}, terms: { principal: 5, annualRatePct: '1', termMonths: 1, method: 'annuity' } })).toBeNull()
    expect(comparisonOf({ ...handContent(), waivers: { fees: 5_000, feesReason: 'x' } })).toBeNull()
    const checked = checkContent(handContent())
    if (!checked.ok || !checked.value.restructuring) throw new Error('hand content must validate')
    const { baseline, breakdown } = checked.value.restructuring
    expect(restructuringComparison({ baseline, breakdown, terms: checked.value.terms, profile: handContent().profile })).toEqual(c)
    expect(HAND_BASELINE.originalAnnualRatePct).toBe('12')
  })
})
