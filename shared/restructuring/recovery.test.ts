import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { checkContent } from '../document/validateContent.ts'
import { affordability, computeSchedule } from '../terms/index.ts'
import { termsArb } from '../../test/support/terms/arbitraries.ts'
import { comparisonOf, presentValue, ratioPct, restructuringComparison } from './recovery.ts'
import { HAND_BASELINE, handContent } from '../../test/support/restructuring/example.ts'

describe('presentValue', () => {
  it('discounts exactly and rounds once (hand-computed)', () => {
    // Payments 98,667 / 98,667 / 98,666 at 12 % a year: monthly rate 1/100, discount factor 100/101.
    //   PV = (98667·100·101² + 98667·100²·101 + 98666·100³) / 101³
    //      = (100,650,206,700 + 99,653,670,000 + 98,666,000,000) / 1,030,301
    //      = 298,969,876,700 / 1,030,301 = 290,177 remainder 223,423
    //   2 × 223,423 = 446,846 < 1,030,301, so half up rounds down: PV = 290,177.
    expect(presentValue([98_667, 98_667, 98_666], '12')).toBe(290_177)
  })

  it('adds what is received at signing undiscounted, and at 0 % is the plain sum', () => {
    expect(presentValue([98_667, 98_667, 98_666], '12', 1_000)).toBe(291_177)
    expect(presentValue([1, 2, 3, 0, 5], '0', 7)).toBe(18)
    expect(presentValue([], '12', 5)).toBe(5)
    // An exact half goes up: 101 at 1 % a month is worth exactly 100; 1.5 → 2.
    expect(presentValue([101], '12')).toBe(100)
    expect(presentValue([0, 0], '12', 0)).toBe(0)
  })

  it('at the loan’s own rate, the payments are worth the principal (within the per-period roundings)', () => {
    fc.assert(
      // Not bullet: it pays simple interest, worth less than the principal at a compound rate.
      fc.property(termsArb({ fee: false, maxPrincipal: 10 ** 11, methods: ['annuity', 'equal_principal', 'interest_only'] }), (terms) => {
        const r = computeSchedule(terms)
        const pv = presentValue(
          r.payments.map((p) => p.payment),
          terms.annualRatePct,
        )
        // Each period's interest is rounded by at most half a unit; discounted, the error stays under the term.
        expect(Math.abs(pv - terms.principal)).toBeLessThanOrEqual(Math.ceil(terms.termMonths / 2) + 1)
      }),
      { numRuns: 150 },
    )
  })
})

describe('ratioPct', () => {
  it('gives hundredths of a percent, half up', () => {
    expect(ratioPct(290_177, 300_000)).toBe('96.73') // 96.7256…
    expect(ratioPct(1, 3)).toBe('33.33')
    expect(ratioPct(2, 3)).toBe('66.67')
    expect(ratioPct(1, 8)).toBe('12.50')
    expect(ratioPct(1, 80_000)).toBe('0.00') // 0.00125 % rounds down
    expect(ratioPct(1, 16)).toBe('6.25')
    expect(ratioPct(-1, 3)).toBe('-33.33')
  })
})

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
