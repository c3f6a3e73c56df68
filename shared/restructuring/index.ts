// Restructuring a loan in trouble (停息挂账, 个性化分期, forbearance): the model's public API for the UI and the server.
export { newPrincipal, breakdownOf, isRestructuring, type NewPrincipalBreakdown, type WaiverAmounts, type BreakdownCheck } from './newPrincipal.ts'
export { effectiveTerms } from './effectiveTerms.ts'
export {
  comparisonOf,
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
export { baselineEditable, baselineWriteRefusal, type BaselineRefusal } from './baselineGuard.ts'
export { validateBaseline, BASELINE_KEYS, BASELINE_AMOUNT_KEYS, type Baseline } from '../schema/baseline.schema.ts'
export { validateWaivers, waiversAgainstBaseline, WAIVER_CATEGORIES, reasonKey, type Waivers, type WaiverCategory } from '../schema/waivers.schema.ts'
export { validateCommitments, CREDIT_REPORTING, COMMITMENT_KEYS, type Commitments, type CreditReporting } from '../schema/commitments.schema.ts'
export { checkContent, validateContent, type CheckedContent, type ContentCheck, type ContentValidation } from '../document/validateContent.ts'
