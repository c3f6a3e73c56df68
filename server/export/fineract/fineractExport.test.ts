import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { Terms } from '../../../shared/terms/types.ts'
import { validateFineractLoanApplication, validateFineractReschedule } from './fineract.schema.ts'
import { exportSchedule, type ScheduleLine } from '../exportSchedule.ts'
import { fineractExport } from './fineractExport.ts'
import type { FineractExport, FineractLoanApplication, FineractRescheduleRequest } from './fineractTypes.ts'
import { exportAgreement, type AgreementOptions } from '../../../test/support/export/exportAgreement.ts'
import { fineractLoanSchedule, fineractRescheduleSchedule, type ExistingLoan, type FineractInstalment } from '../../../test/support/export/fineractSchedule.ts'
import { termsArb } from '../../../test/support/terms/arbitraries.ts'

const FIRST_DUE = '2025-01-31'

function exported(terms: Terms | Omit<Terms, 'principal'>, o: AgreementOptions = {}, options = {}): { out: FineractExport; lines: ScheduleLine[] } {
  const agreement = exportAgreement(terms, { firstDueDate: FIRST_DUE, ...o })
  const schedule = exportSchedule(agreement)
  return { out: fineractExport(agreement, schedule, options), lines: schedule.lines }
}

/** The instalments that move money, in the form both schedules share. */
function paying(rows: readonly (ScheduleLine | FineractInstalment)[]): FineractInstalment[] {
  return rows.filter((r) => r.total > 0).map((r) => ({ dueDate: r.dueDate, principal: r.principal, interest: r.interest, total: r.total, balance: r.balance }))
}

function loanBody(out: FineractExport): FineractLoanApplication {
  expect(out.endpoint).toBe('POST /loans')
  const valid = validateFineractLoanApplication(out.body)
  expect(valid).toEqual({ ok: true, value: out.body })
  return out.body as FineractLoanApplication
}

function rescheduleBody(out: FineractExport): FineractRescheduleRequest {
  expect(out.endpoint).toBe('POST /rescheduleloans')
  expect(validateFineractReschedule(out.body)).toEqual({ ok: true, value: out.body })
  return out.body as FineractRescheduleRequest
}

// The terms engine's own vectors (shared/terms/*.test.ts), each method, with and without grace.
const EXACT: [string, Terms][] = [
  ['annuity 3 months', { principal: 120_000, annualRatePct: '12', termMonths: 3, method: 'annuity' }],
  ['annuity 30 years at 4.9 %', { principal: 100_000_000, annualRatePct: '4.9', termMonths: 360, method: 'annuity' }],
  ['annuity at 0 % repaid early by rounding', { principal: 3, annualRatePct: '0', termMonths: 4, method: 'annuity' }],
  ['annuity at the top of the range', { principal: 10 ** 13, annualRatePct: '36', termMonths: 12, method: 'annuity' }],
  ['equal principal', { principal: 120_000, annualRatePct: '12', termMonths: 3, method: 'equal_principal' }],
  ['equal principal of 7 over 4', { principal: 7, annualRatePct: '0', termMonths: 4, method: 'equal_principal' }],
  ['equal principal of 30 over 40', { principal: 30, annualRatePct: '0', termMonths: 40, method: 'equal_principal' }],
  ['interest only', { principal: 120_000, annualRatePct: '12', termMonths: 3, method: 'interest_only' }],
  ['interest only, one month', { principal: 100_000, annualRatePct: '12', termMonths: 1, method: 'interest_only' }],
  ['bullet', { principal: 120_000, annualRatePct: '12', termMonths: 3, method: 'bullet' }],
  ['bullet rounding once', { principal: 1_001, annualRatePct: '12', termMonths: 5, method: 'bullet' }],
  ['annuity with a paid grace', { principal: 120_000, annualRatePct: '12', termMonths: 3, method: 'annuity', graceMonths: 1, graceInterest: 'pay' }],
  ['equal principal with a paid grace', { principal: 1_000_000, annualRatePct: '4.35', termMonths: 24, method: 'equal_principal', graceMonths: 6, graceInterest: 'pay' }],
  ['interest only with a paid grace', { principal: 500_000, annualRatePct: '7.2', termMonths: 12, method: 'interest_only', graceMonths: 3, graceInterest: 'pay' }],
  ['annuity with a fee', { principal: 12_000_000, annualRatePct: '4.35', termMonths: 36, method: 'annuity', upfrontFee: 120_000 }],
]

describe('Fineract loan application (POST /loans)', () => {
  it.each(EXACT)('%s: the schedule Fineract computes from the body is ours to the minor unit', (_name, terms) => {
    const { out, lines } = exported(terms)
    const body = loanBody(out)
    expect(out.exact).toBe(true)
    expect(out.notes.map((n) => n.code)).not.toContain('capitalized_grace')
    const theirs = fineractLoanSchedule(body, 2)
    expect(paying(theirs)).toEqual(paying(lines))
    expect(theirs.at(-1)!.balance).toBe(0)
  })

  it('maps each field as documented', () => {
    const { out } = exported(
      { principal: 12_000_050, annualRatePct: '4.35', termMonths: 36, method: 'equal_principal', graceMonths: 2, graceInterest: 'pay', upfrontFee: 120_000 },
      { lockedAt: '2024-12-10T23:30:00.000Z' },
      { clientId: 42, productId: 7, feeChargeId: 3 },
    )
    expect(loanBody(out)).toEqual({
      clientId: 42,
      productId: 7,
      loanType: 'individual',
      externalId: 'room-7f3a',
      principal: '120000.50',
      loanTermFrequency: 36,
      loanTermFrequencyType: 2,
      numberOfRepayments: 36,
      repaymentEvery: 1,
      repaymentFrequencyType: 2,
      interestRatePerPeriod: 4.35,
      amortizationType: 0,
      interestType: 0,
      interestCalculationPeriodType: 1,
      transactionProcessingStrategyCode: 'mifos-standard-strategy',
      expectedDisbursementDate: '2024-12-31',
      submittedOnDate: '2024-12-10',
      repaymentsStartingFromDate: '2025-01-31',
      graceOnPrincipalPayment: 2,
      charges: [{ chargeId: 3, amount: '1200.00' }],
      dateFormat: 'yyyy-MM-dd',
      locale: 'en',
    })
    expect(out.notes.map((n) => n.code)).toEqual(['upfront_fee'])
  })

  it('bullet: one repayment period as long as the term, due at maturity', () => {
    const body = loanBody(exported({ principal: 120_000, annualRatePct: '12', termMonths: 3, method: 'bullet' }).out)
    expect(body).toMatchObject({ numberOfRepayments: 1, repaymentEvery: 3, loanTermFrequency: 3, repaymentsStartingFromDate: '2025-03-31' })
  })

  it('a capitalised grace is said to be inexpressible, and Fineract would indeed compute another schedule', () => {
    const terms: Terms = { principal: 120_000, annualRatePct: '12', termMonths: 4, method: 'annuity', graceMonths: 1, graceInterest: 'capitalize' }
    const { out, lines } = exported(terms)
    const body = loanBody(out)
    expect(out.exact).toBe(false)
    expect(out.notes.find((n) => n.code === 'capitalized_grace')?.message).toMatch(/cannot capitalise/)
    expect(body.graceOnInterestPayment).toBe(1)
    expect(paying(fineractLoanSchedule(body, 2))).not.toEqual(paying(lines))
  })

  it('says what the body leaves out: placeholders, assumed dates, the fee', () => {
    const agreement = exportAgreement({ principal: 1_000_000, annualRatePct: '6', termMonths: 12, method: 'annuity', upfrontFee: 10_000 }, { lockedAt: '2025-03-14T09:30:05.000Z' })
    const out = fineractExport(agreement, exportSchedule(agreement))
    const body = loanBody(out)
    expect(body.clientId).toBe(1)
    expect(body.charges).toBeUndefined()
    expect(body.repaymentsStartingFromDate).toBe('2025-04-14')
    expect(out.notes.map((n) => n.code)).toEqual(['placeholder_id', 'assumed_dates', 'upfront_fee'])
    expect(out.notes[2]!.message).toContain('100.00 CNY')
  })

  it('currencies without minor digits travel as whole amounts', () => {
    const { out, lines } = exported({ principal: 1_000_000, annualRatePct: '1.5', termMonths: 12, method: 'annuity' }, { currency: 'JPY' })
    const body = loanBody(out)
    expect(body.principal).toBe('1000000')
    expect(paying(fineractLoanSchedule(body, 0))).toEqual(paying(lines))
  })

  it('property: every terms without a capitalised grace give a body whose Fineract schedule is ours', () => {
    fc.assert(
      fc.property(termsArb({ graceInterest: ['pay'], maxTerm: 120, maxPrincipal: 10 ** 11 }), (terms) => {
        const { out, lines } = exported(terms)
        const body = loanBody(out)
        expect(out.exact).toBe(true)
        expect(paying(fineractLoanSchedule(body, 2))).toEqual(paying(lines))
      }),
      { numRuns: 60 },
    )
  })
})

// A restructuring whose arrears are all waived: the new principal is the loan's outstanding principal.
const BASELINE = {
  outstandingPrincipal: 290_000,
  accruedInterest: 6_000,
  penaltyInterest: 3_000,
  fees: 1_000,
  daysPastDue: 75,
  asOfDate: '2025-01-10',
  originalAnnualRatePct: '12',
  originalMethod: 'annuity',
  originalRemainingMonths: 3,
}
const ALL_WAIVED = {
  accruedInterest: 6_000,
  accruedInterestReason: 'job loss',
  penaltyInterest: 3_000,
  penaltyInterestReason: 'first default',
  fees: 1_000,
  feesReason: 'goodwill',
}

function restructured(plan: Omit<Terms, 'principal'>, baseline: Record<string, string | number> = {}, waivers: Record<string, string | number> = ALL_WAIVED, options = {}) {
  return exported(plan, { baseline: { ...BASELINE, ...baseline }, waivers }, options)
}

function existing(baseline: Record<string, string | number> = {}): ExistingLoan {
  const b = { ...BASELINE, ...baseline }
  return { principalOutstanding: b.outstandingPrincipal as number, remainingInstalments: b.originalRemainingMonths as number, amortizationType: b.originalMethod === 'equal_principal' ? 0 : 1 }
}

describe('Fineract reschedule (POST /rescheduleloans)', () => {
  const CASES: [string, Omit<Terms, 'principal'>, Record<string, string | number>][] = [
    ['annuity stretched, lower rate', { annualRatePct: '6', termMonths: 12, method: 'annuity' }, {}],
    ['annuity with a paid grace', { annualRatePct: '8.5', termMonths: 9, method: 'annuity', graceMonths: 2, graceInterest: 'pay' }, {}],
    ['equal principal', { annualRatePct: '4.35', termMonths: 24, method: 'equal_principal' }, { originalMethod: 'equal_principal' }],
    ['interest only', { annualRatePct: '3', termMonths: 6, method: 'interest_only' }, {}],
    ['same length, new rate', { annualRatePct: '0', termMonths: 3, method: 'annuity' }, {}],
  ]

  it.each(CASES)('%s: the rescheduled loan repays as agreed, to the minor unit', (_name, plan, baseline) => {
    const { out, lines } = restructured(plan, baseline, ALL_WAIVED, { loanId: 88, rescheduleReasonId: 5 })
    const body = rescheduleBody(out)
    expect(out.exact).toBe(true)
    expect(body).toMatchObject({ loanId: 88, rescheduleReasonId: 5, rescheduleFromDate: FIRST_DUE, newInterestRate: Number(plan.annualRatePct) })
    expect(paying(fineractRescheduleSchedule(body, existing(baseline)))).toEqual(paying(lines))
    expect(out.notes.map((n) => n.code)).toContain('waivers')
  })

  it('maps the reschedule fields', () => {
    const { out } = restructured(
      { annualRatePct: '6', termMonths: 12, method: 'annuity', graceMonths: 2, graceInterest: 'pay' },
      {},
      ALL_WAIVED,
      { rescheduleFromDate: '2025-01-15' },
    )
    expect(rescheduleBody(out)).toEqual({
      loanId: 1,
      rescheduleFromDate: '2025-01-15',
      adjustedDueDate: '2025-01-31',
      rescheduleReasonId: 1,
      rescheduleReasonComment: expect.stringMatching(/^Negotiation room room-7f3a, signed agreement [0-9a-f]{8}$/),
      submittedOnDate: '2025-03-14',
      graceOnPrincipal: 2,
      extraTerms: 9,
      newInterestRate: 6,
      dateFormat: 'yyyy-MM-dd',
      locale: 'en',
    })
    expect(out.notes.map((n) => n.code)).toEqual(['placeholder_id', 'waivers'])
  })

  it('arrears left to pay cannot be capitalised by a reschedule: said, and ?as=loan refinances them exactly', () => {
    const waivers = { penaltyInterest: 3_000, penaltyInterestReason: 'first default' }
    const plan = { annualRatePct: '6', termMonths: 12, method: 'annuity' } as const
    const { out, lines } = restructured(plan, {}, waivers)
    const body = rescheduleBody(out)
    expect(out.exact).toBe(false)
    expect(out.notes.find((n) => n.code === 'arrears_not_capitalized')?.message).toContain('70.00 CNY of arrears')
    expect(paying(fineractRescheduleSchedule(body, existing()))).not.toEqual(paying(lines))

    const refinance = restructured(plan, {}, waivers, { as: 'loan' })
    const loan = loanBody(refinance.out)
    expect(loan.principal).toBe('2970.00')
    expect(refinance.out.exact).toBe(true)
    expect(refinance.out.notes.map((n) => n.code)).toContain('refinance')
    expect(paying(fineractLoanSchedule(loan, 2))).toEqual(paying(refinance.lines))
  })

  it.each([
    ['a capitalised grace', { annualRatePct: '6', termMonths: 12, method: 'annuity', graceMonths: 2, graceInterest: 'capitalize' }, {}, 'capitalized_grace'],
    ['a bullet plan', { annualRatePct: '6', termMonths: 12, method: 'bullet' }, {}, 'bullet_reschedule'],
    ['another amortisation', { annualRatePct: '6', termMonths: 12, method: 'equal_principal' }, {}, 'method_change'],
    ['a shorter term', { annualRatePct: '6', termMonths: 2, method: 'annuity' }, {}, 'term_shortened'],
    ['a matured loan', { annualRatePct: '6', termMonths: 12, method: 'annuity' }, { originalRemainingMonths: 0, originalMethod: 'annuity' }, 'matured_loan'],
  ] as const)('%s is said to be inexpressible', (_name, plan, baseline, code) => {
    const { out } = restructured(plan as Omit<Terms, 'principal'>, baseline)
    rescheduleBody(out)
    expect(out.exact).toBe(false)
    expect(out.notes.map((n) => n.code)).toContain(code)
  })
})

describe('the Fineract schemas', () => {
  it('refuse what Fineract refuses', () => {
    const { out } = exported({ principal: 120_000, annualRatePct: '12', termMonths: 3, method: 'annuity' })
    const body = loanBody(out)
    expect(validateFineractLoanApplication({ ...body, principal: 1200 })).toMatchObject({ ok: false, error: '/principal: must be string' })
    expect(validateFineractLoanApplication({ ...body, amortizationType: 2 })).toMatchObject({ ok: false, error: '/amortizationType: must be one of 0, 1' })
    expect(validateFineractLoanApplication({ ...body, loanTermFrequency: 4 })).toMatchObject({ ok: false, error: /numberOfRepayments × repaymentEvery/ })
    expect(validateFineractLoanApplication({ ...body, graceOnPrincipalPayment: 3 })).toMatchObject({ ok: false, error: /graceOnPrincipalPayment/ })
    expect(validateFineractLoanApplication({ ...body, interestRate: 12 })).toMatchObject({ ok: false, error: '/interestRate: is not allowed' })
    const { clientId: _c, ...noClient } = body
    expect(validateFineractLoanApplication(noClient)).toMatchObject({ ok: false, error: '/clientId: is required' })
    expect(validateFineractReschedule({ loanId: 1, rescheduleFromDate: '2025-01-31', rescheduleReasonId: 1, submittedOnDate: '2025-01-01', dateFormat: 'yyyy-MM-dd', locale: 'en' })).toMatchObject({ ok: false })
    expect(validateFineractReschedule({ loanId: 1, rescheduleFromDate: '31 January 2025', rescheduleReasonId: 1, submittedOnDate: '2025-01-01', dateFormat: 'yyyy-MM-dd', locale: 'en', extraTerms: 2 })).toMatchObject({ ok: false, error: /rescheduleFromDate/ })
  })
})
