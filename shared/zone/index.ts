// The settlement zone: private limits in, a proposal or each side's own gap out. Pure, same code in browser and server.
export type * from './types.ts'
export { findZone } from './zone.ts'
export { zoneGrid, gridSize, rateSteps, rateTenThousandths, tieBreak, DEFAULT_METHODS, DEFAULT_RATE_STEP, type Grid } from './grid.ts'
export { candidateTerms } from './evaluate.ts'
export { roundSignificant } from './significant.ts'
export { viewFor, type BorrowerView, type LenderView } from './view.ts'
