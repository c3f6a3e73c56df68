// The Apache Fineract request bodies this server writes, and the envelope they travel in (docs/FINERACT.md).

/** PeriodFrequencyType: 0 days, 1 weeks, 2 months, 3 years. */
export const MONTHS = 2
/** AmortizationMethod: 0 equal principal payments, 1 equal instalments. */
export type AmortizationType = 0 | 1

/** The body of `POST /loans` (a loan application), the fields this export fills. */
export interface FineractLoanApplication {
  clientId: number
  productId: number
  loanType: 'individual'
  externalId: string
  /** Major units as a decimal string, read with `locale`. */
  principal: string
  loanTermFrequency: number
  loanTermFrequencyType: typeof MONTHS
  numberOfRepayments: number
  repaymentEvery: number
  repaymentFrequencyType: typeof MONTHS
  /** Percent per year (the product's interest rate frequency must be "per year"). */
  interestRatePerPeriod: number
  amortizationType: AmortizationType
  /** 0 declining balance. */
  interestType: 0
  /** 1 same as repayment period. */
  interestCalculationPeriodType: 1
  transactionProcessingStrategyCode: string
  expectedDisbursementDate: string
  submittedOnDate: string
  repaymentsStartingFromDate: string
  graceOnPrincipalPayment?: number
  graceOnInterestPayment?: number
  charges?: { chargeId: number; amount: string }[]
  dateFormat: string
  locale: string
}

/** The body of `POST /rescheduleloans`. */
export interface FineractRescheduleRequest {
  loanId: number
  rescheduleFromDate: string
  rescheduleReasonId: number
  rescheduleReasonComment: string
  submittedOnDate: string
  adjustedDueDate?: string
  graceOnPrincipal?: number
  graceOnInterest?: number
  extraTerms?: number
  newInterestRate: number
  dateFormat: string
  locale: string
}

/** Why the body alone does not say everything that was agreed, or which placeholder must be replaced. */
export type FineractNoteCode =
  | 'placeholder_id'
  | 'assumed_dates'
  | 'upfront_fee'
  | 'capitalized_grace'
  | 'arrears_not_capitalized'
  | 'waivers'
  | 'method_change'
  | 'term_shortened'
  | 'matured_loan'
  | 'bullet_reschedule'
  | 'reschedule_from_date'
  | 'refinance'

export interface FineractNote {
  code: FineractNoteCode
  message: string
}

export type FineractEndpoint = 'POST /loans' | 'POST /rescheduleloans'

export type FineractExport =
  | { endpoint: 'POST /loans'; body: FineractLoanApplication; exact: boolean; notes: FineractNote[]; product: string[] }
  | { endpoint: 'POST /rescheduleloans'; body: FineractRescheduleRequest; exact: boolean; notes: FineractNote[]; product: string[] }

/** The ids a lender configures (query parameters of the route, options of the CLI); documented defaults. */
export interface FineractOptions {
  /** Fineract client (borrower) id; default 1, a placeholder (note `placeholder_id`). */
  clientId?: number
  /** Loan product id; default 1. */
  productId?: number
  /** The existing Fineract loan a restructuring reschedules; default 1, a placeholder. */
  loanId?: number
  /** Code value id of the reason (code "LoanRescheduleReason"); default 1. */
  rescheduleReasonId?: number
  /** A disbursement charge for the upfront fee; without it the fee is only a note. */
  feeChargeId?: number
  /** The due date of the existing loan's next instalment, from which it is rescheduled; default the first due date. */
  rescheduleFromDate?: string
  /** `loan`: a restructuring written as a new loan (refinance) instead of a reschedule. */
  as?: 'loan' | 'reschedule'
}

export const FINERACT_DEFAULT_IDS = { clientId: 1, productId: 1, loanId: 1, rescheduleReasonId: 1 } as const
