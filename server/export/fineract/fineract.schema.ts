// JSON Schemas of the two Fineract request bodies this server writes, from Apache Fineract's API documentation
// (legacy apiLive.htm "Loans: Submit a new Loan Application" and "Reschedule Loans: Create", and the OpenAPI models
// PostLoansRequest / PostCreateRescheduleLoansRequest). Unknown fields are refused, as Fineract refuses them.
import type { FineractLoanApplication, FineractRescheduleRequest } from './fineractTypes.ts'
import { compileValidator, type Validation } from '../../../shared/schema/validate.ts'

const id = { type: 'integer', minimum: 1, description: 'a Fineract entity id' } as const
/** Our bodies always say dateFormat "yyyy-MM-dd"; Fineract reads the dates with it. */
const date = { type: 'string', format: 'date' } as const
/** A decimal amount in major units, as Fineract parses it with locale "en". */
const amount = { type: 'string', pattern: '^[0-9]+(\\.[0-9]+)?$' } as const
const count = { type: 'integer', minimum: 0 } as const
const positive = { type: 'integer', minimum: 1 } as const
/** PeriodFrequencyType: 0 days, 1 weeks, 2 months, 3 years. */
const frequency = { enum: [0, 1, 2, 3] } as const
const conventions = {
  dateFormat: { const: 'yyyy-MM-dd' },
  locale: { type: 'string', minLength: 2 },
} as const

export const fineractLoanApplicationSchema = {
  $id: 'https://negotiation-room.local/schema/fineract-loan-application.json',
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'Fineract POST /loans (loan application)',
  type: 'object',
  additionalProperties: false,
  required: [
    'clientId',
    'productId',
    'loanType',
    'principal',
    'loanTermFrequency',
    'loanTermFrequencyType',
    'numberOfRepayments',
    'repaymentEvery',
    'repaymentFrequencyType',
    'interestRatePerPeriod',
    'amortizationType',
    'interestType',
    'interestCalculationPeriodType',
    'transactionProcessingStrategyCode',
    'expectedDisbursementDate',
    'submittedOnDate',
    'dateFormat',
    'locale',
  ],
  properties: {
    clientId: id,
    productId: id,
    loanType: { enum: ['individual', 'group', 'jlg'] },
    externalId: { type: 'string', minLength: 1, maxLength: 100 },
    principal: amount,
    loanTermFrequency: positive,
    loanTermFrequencyType: frequency,
    numberOfRepayments: positive,
    repaymentEvery: positive,
    repaymentFrequencyType: { enum: [0, 1, 2] },
    interestRatePerPeriod: { type: 'number', minimum: 0 },
    amortizationType: { enum: [0, 1], description: '0 equal principal payments, 1 equal instalments' },
    interestType: { enum: [0, 1], description: '0 declining balance, 1 flat' },
    interestCalculationPeriodType: { enum: [0, 1], description: '0 daily, 1 same as repayment period' },
    transactionProcessingStrategyCode: { type: 'string', minLength: 1 },
    expectedDisbursementDate: date,
    submittedOnDate: date,
    repaymentsStartingFromDate: date,
    graceOnPrincipalPayment: count,
    graceOnInterestPayment: count,
    graceOnInterestCharged: count,
    charges: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['chargeId', 'amount'],
        properties: { chargeId: id, amount },
      },
    },
    ...conventions,
  },
} as const

export const fineractRescheduleSchema = {
  $id: 'https://negotiation-room.local/schema/fineract-reschedule.json',
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'Fineract POST /rescheduleloans',
  type: 'object',
  additionalProperties: false,
  required: ['loanId', 'rescheduleFromDate', 'rescheduleReasonId', 'submittedOnDate', 'dateFormat', 'locale'],
  properties: {
    loanId: id,
    rescheduleFromDate: date,
    rescheduleReasonId: id,
    rescheduleReasonComment: { type: 'string', maxLength: 500 },
    submittedOnDate: date,
    adjustedDueDate: date,
    graceOnPrincipal: positive,
    graceOnInterest: positive,
    extraTerms: positive,
    newInterestRate: { type: 'number', minimum: 0 },
    ...conventions,
  },
} as const

/** Fineract's cross-field rules: the term is repayments × every, grace stays below the repayments, dates in order. */
function checkLoan(b: FineractLoanApplication): string | null {
  if (b.loanTermFrequency !== b.numberOfRepayments * b.repaymentEvery) return '/loanTermFrequency: must equal numberOfRepayments × repaymentEvery'
  if (b.loanTermFrequencyType !== b.repaymentFrequencyType) return '/loanTermFrequencyType: must equal repaymentFrequencyType'
  if ((b.graceOnPrincipalPayment ?? 0) >= b.numberOfRepayments) return '/graceOnPrincipalPayment: must be < numberOfRepayments'
  if ((b.graceOnInterestPayment ?? 0) >= b.numberOfRepayments) return '/graceOnInterestPayment: must be < numberOfRepayments'
  if (b.submittedOnDate > b.expectedDisbursementDate) return '/submittedOnDate: must not be after expectedDisbursementDate'
  if (b.repaymentsStartingFromDate !== undefined && b.repaymentsStartingFromDate <= b.expectedDisbursementDate) {
    return '/repaymentsStartingFromDate: must be after expectedDisbursementDate'
  }
  return null
}

const loanValidator = compileValidator<FineractLoanApplication>(fineractLoanApplicationSchema, { check: checkLoan })
const CHANGES = ['adjustedDueDate', 'graceOnPrincipal', 'graceOnInterest', 'extraTerms', 'newInterestRate'] as const

/** Fineract refuses a reschedule that changes nothing. */
function checkReschedule(b: FineractRescheduleRequest): string | null {
  return CHANGES.some((k) => b[k] !== undefined) ? null : `/: needs at least one of ${CHANGES.join(', ')}`
}

const rescheduleValidator = compileValidator<FineractRescheduleRequest>(fineractRescheduleSchema, { check: checkReschedule })

export function validateFineractLoanApplication(x: unknown): Validation<FineractLoanApplication> {
  return loanValidator(x)
}

export function validateFineractReschedule(x: unknown): Validation<FineractRescheduleRequest> {
  return rescheduleValidator(x)
}
