// The debt being restructured, as the lender states it on asOfDate (Y.Map("baseline"); shared/schema checks it).
import type { Method, Minor } from '../terms/types.ts'

/** The amounts that make up what the borrower owes on `asOfDate`, in the order a statement lists them. */
export const BASELINE_AMOUNT_KEYS = ['outstandingPrincipal', 'accruedInterest', 'penaltyInterest', 'fees'] as const
export type BaselineAmountKey = (typeof BASELINE_AMOUNT_KEYS)[number]

/** Every key of the baseline map, in display order. */
export const BASELINE_KEYS = [
  ...BASELINE_AMOUNT_KEYS,
  'daysPastDue',
  'asOfDate',
  'originalAnnualRatePct',
  'originalMethod',
  'originalRemainingMonths',
] as const

export interface Baseline {
  /** Principal still owed under the original contract (minor units, ≥ 1). */
  outstandingPrincipal: Minor
  /** Contractual interest due and unpaid. */
  accruedInterest: Minor
  /** Penalty (default) interest charged on the arrears (罚息). */
  penaltyInterest: Minor
  /** Late fees and other charges due. */
  fees: Minor
  daysPastDue: number
  /** YYYY-MM-DD on which the figures above were stated. */
  asOfDate: string
  /** The original contract rate, percent per year ("12", "4.35"); the lender discounts the plan at this rate. */
  originalAnnualRatePct: string
  /** How the original contract is repaid; required while it has months remaining. */
  originalMethod?: Method
  /** Months the original contract still had to run on asOfDate; 0 = matured or called in (all due now). */
  originalRemainingMonths: number
}
