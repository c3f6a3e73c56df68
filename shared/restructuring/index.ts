// Restructuring a loan in trouble (停息挂账, 个性化分期, forbearance): the domain alone, no document and no schema.
// What reads it from a room's content (breakdownOf, checkContent, comparisonOf) is in shared/content.
export { BASELINE_KEYS, BASELINE_AMOUNT_KEYS, type Baseline, type BaselineAmountKey } from './baseline.ts'
export { WAIVER_CATEGORIES, reasonKey, waived, waiversAgainstBaseline, type Waivers, type WaiverCategory } from './waivers.ts'
export { CREDIT_REPORTING, COMMITMENT_KEYS, type Commitments, type CreditReporting } from './commitments.ts'
export { newPrincipal, type NewPrincipalBreakdown, type WaiverAmounts } from './newPrincipal.ts'
export {
  restructuringComparison,
  presentValue,
  ratioPct,
  profileOf,
  baselineOutlook,
  type RestructuringComparison,
  type BorrowerComparison,
  type LenderRecovery,
  type BaselineOutlook,
  type PlanOutlook,
  type ComparisonInput,
} from './recovery.ts'
