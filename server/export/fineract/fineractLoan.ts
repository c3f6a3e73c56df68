// The agreed terms as the body of Fineract's `POST /loans` (a loan application); docs/FINERACT.md maps every field.
import type { Agreement } from '../../../shared/agreement/agreement.ts'
import { addMonths, dueDate } from '../../../shared/terms/dates.ts'
import { isoDay, type ExportSchedule } from '../exportSchedule.ts'
import { commonNotes, DATE_FORMAT, fingerprintComment, LOCALE, major, productRequirements, ratePercent } from './fineractCommon.ts'
import {
  FINERACT_DEFAULT_IDS,
  MONTHS,
  type AmortizationType,
  type FineractExport,
  type FineractLoanApplication,
  type FineractNote,
  type FineractOptions,
} from './fineractTypes.ts'

export const TRANSACTION_PROCESSING_STRATEGY = 'mifos-standard-strategy'

interface Shape {
  numberOfRepayments: number
  repaymentEvery: number
  amortizationType: AmortizationType
  repaymentsStartingFromDate: string
  graceOnPrincipalPayment: number
  graceOnInterestPayment: number
}

/** The repayment shape of each method; a capitalised grace has no Fineract form (the closest is deferring the interest). */
function shapeOf(schedule: ExportSchedule, notes: FineractNote[]): { shape: Shape; exact: boolean } {
  const t = schedule.checked.terms
  const n = t.termMonths
  const grace = t.graceMonths ?? 0
  const capitalized = grace > 0 && (t.graceInterest ?? 'capitalize') === 'capitalize'
  const first = schedule.firstDueDate
  if (capitalized) {
    notes.push({
      code: 'capitalized_grace',
      message:
        `the agreed ${grace} grace month(s) capitalise their interest (added to the balance, which then earns interest); Fineract cannot capitalise ` +
        `grace interest, so graceOnInterestPayment defers it to the first instalment after the grace instead: Fineract's schedule will differ from the agreed one`,
    })
  }
  const deferred = capitalized ? grace : 0
  switch (t.method) {
    case 'annuity':
    case 'equal_principal':
      return {
        shape: {
          numberOfRepayments: n,
          repaymentEvery: 1,
          amortizationType: t.method === 'annuity' ? 1 : 0,
          repaymentsStartingFromDate: first,
          graceOnPrincipalPayment: grace,
          graceOnInterestPayment: deferred,
        },
        exact: !capitalized,
      }
    case 'interest_only':
      // Grace on principal for all but the last instalment: interest every month, the principal with the last.
      return {
        shape: {
          numberOfRepayments: n,
          repaymentEvery: 1,
          amortizationType: 1,
          repaymentsStartingFromDate: first,
          graceOnPrincipalPayment: n - 1,
          graceOnInterestPayment: deferred,
        },
        exact: !capitalized,
      }
    case 'bullet':
      // One repayment period as long as the term: its interest is principal × rate × n / 12, rounded once, as agreed.
      return {
        shape: {
          numberOfRepayments: 1,
          repaymentEvery: n,
          amortizationType: 1,
          repaymentsStartingFromDate: dueDate(first, n),
          graceOnPrincipalPayment: 0,
          graceOnInterestPayment: 0,
        },
        exact: true,
      }
  }
}

/** A new loan, or (`as: 'loan'`) a restructuring written as a refinance of the new principal. */
export function fineractLoan(agreement: Agreement, schedule: ExportSchedule, options: FineractOptions = {}): Extract<FineractExport, { endpoint: 'POST /loans' }> {
  const t = schedule.checked.terms
  const notes = commonNotes(schedule, options, ['clientId'])
  const { shape, exact } = shapeOf(schedule, notes)
  // Disbursed one month before the first due date, so the first period is a whole month like every other.
  const disbursement = addMonths(schedule.firstDueDate, -1)
  const locked = isoDay(agreement.lockedAt)
  const body: FineractLoanApplication = {
    clientId: options.clientId ?? FINERACT_DEFAULT_IDS.clientId,
    productId: options.productId ?? FINERACT_DEFAULT_IDS.productId,
    loanType: 'individual',
    externalId: agreement.roomId,
    principal: major(t.principal, agreement.currency),
    loanTermFrequency: t.termMonths,
    loanTermFrequencyType: MONTHS,
    numberOfRepayments: shape.numberOfRepayments,
    repaymentEvery: shape.repaymentEvery,
    repaymentFrequencyType: MONTHS,
    interestRatePerPeriod: ratePercent(t.annualRatePct),
    amortizationType: shape.amortizationType,
    interestType: 0,
    interestCalculationPeriodType: 1,
    transactionProcessingStrategyCode: TRANSACTION_PROCESSING_STRATEGY,
    expectedDisbursementDate: disbursement,
    // Fineract refuses a submission after the expected disbursement.
    submittedOnDate: locked < disbursement ? locked : disbursement,
    repaymentsStartingFromDate: shape.repaymentsStartingFromDate,
    dateFormat: DATE_FORMAT,
    locale: LOCALE,
  }
  if (shape.graceOnPrincipalPayment > 0) body.graceOnPrincipalPayment = shape.graceOnPrincipalPayment
  if (shape.graceOnInterestPayment > 0) body.graceOnInterestPayment = shape.graceOnInterestPayment
  const fee = t.upfrontFee ?? 0
  if (fee > 0) {
    const amount = major(fee, agreement.currency)
    if (options.feeChargeId !== undefined) {
      body.charges = [{ chargeId: options.feeChargeId, amount }]
      notes.push({ code: 'upfront_fee', message: `the upfront fee ${amount} is charge ${options.feeChargeId}: it must be a flat disbursement charge, deducted from the disbursement` })
    } else {
      notes.push({
        code: 'upfront_fee',
        message: `the upfront fee ${amount} ${agreement.currency} is deducted from the disbursement: add it as a flat disbursement charge (?feeChargeId=…, --fee-charge-id) — it is not in this body`,
      })
    }
  }
  if (schedule.checked.restructuring) {
    notes.push({
      code: 'refinance',
      message: `a restructuring written as a new loan of the new principal (${body.principal}): close the existing loan with its disbursement in Fineract; ${fingerprintComment(agreement)}`,
    })
  }
  return { endpoint: 'POST /loans', body, exact, notes, product: productRequirements(agreement.currency) }
}
