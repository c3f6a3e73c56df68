// What each side promises beside the numbers (Y.Map("commitments")); shared/schema checks them.

/**
 * How the lender reports the loan to the credit bureau once the plan is agreed (explained to both sides in
 * shared/i18n/agreementText.ts, `agreement.creditReporting.*`):
 * - restructured_current: reported as restructured and up to date while every payment is on time
 *   (earlier late records stay as they were reported: true records are not erased);
 * - restructured_flagged: reported as restructured and still marked as a past-due / concession loan until repaid;
 * - no_change: not reported as restructured; the lender reports the account as it would without this plan.
 */
export const CREDIT_REPORTING = ['restructured_current', 'restructured_flagged', 'no_change'] as const
export type CreditReporting = (typeof CREDIT_REPORTING)[number]

/** Every key of the commitments map, in display order. */
export const COMMITMENT_KEYS = [
  'firstDueDate',
  'noCollectionCalls',
  'noHomeVisits',
  'creditReporting',
  'missedPaymentsBeforeLapse',
  'lapseRestoresBaseline',
] as const

export interface Commitments {
  /** YYYY-MM-DD on which period 1 falls due: the room's one first due date (schedule dates, comparison). */
  firstDueDate?: string
  /** The lender makes no collection calls while the plan is honoured. */
  noCollectionCalls?: boolean
  /** The lender makes no home visits while the plan is honoured. */
  noHomeVisits?: boolean
  creditReporting?: CreditReporting
  /** After this many consecutive missed payments the plan lapses (N ≥ 1). Comes with lapseRestoresBaseline. */
  missedPaymentsBeforeLapse?: number
  /** On lapse: true = the waivers are cancelled and the baseline is restored (less what was paid); false = kept. */
  lapseRestoresBaseline?: boolean
}
