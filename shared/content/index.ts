// A room's content as the UI and the server read it: the document's maps checked and computed with the
// restructuring domain (the combined view shared/restructuring/index.ts used to give).
export * from '../restructuring/index.ts'
export { isRestructuring, breakdownOf, type BreakdownCheck } from './breakdown.ts'
export { effectiveTerms } from './effectiveTerms.ts'
export { checkContent, validateContent, type CheckedContent, type CheckedRestructuring, type ContentCheck, type ContentValidation } from './validateContent.ts'
export { contentHashOfDoc, hashContent, withComputedTotals, type ComputedTotals, type HashedContent } from './contentHash.ts'
export { comparisonOf } from './comparison.ts'
export { validateCreateRoom } from './createRoom.ts'
export { baselineEditable, baselineWriteRefusal, type BaselineRefusal } from '../document/baselineGuard.ts'
export { validateBaseline } from '../schema/baseline.schema.ts'
export { validateWaivers } from '../schema/waivers.schema.ts'
export { validateCommitments } from '../schema/commitments.schema.ts'
export { contentChanges, readChanges, comparedTerms, comparedWaivers, FIGURE_KEYS, type ContentChange, type ChangeKind, type ChangeSection, type ComparedContent, type FigureKey } from './contentChanges.ts'
