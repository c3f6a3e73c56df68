// The settlement zone's types: each party's private limits, the candidate grid, and what the engine answers.
import type { GraceInterest, Method, Minor, Terms } from '../terms/types.ts'

/** What the borrower can bear; never shown to the lender. */
export interface BorrowerLimits {
  /** The most they can pay in any one month (every payment of the plan, balloons included). */
  maxMonthly: Minor
  maxTermMonths: number
  /** A one-off amount they could pay now (month 0); the plan's principal is reduced by it. */
  oneOffNow?: Minor
}

/** What the lender can accept; never shown to the borrower. */
export interface LenderLimits {
  /** The lowest present value (one-off now + the plan's payments) at discountRatePct they accept. */
  minRecovery: Minor
  /** Percent per year as a decimal string ("6.5"), parsed exactly; monthly rate = it / 12. */
  discountRatePct: string
  maxTermMonths: number
  /** The lowest plan rate (percent per year, at most 4 decimals). */
  minRatePct: string
  maxGraceMonths: number
}

/** The debt the plans restructure and the grid's fixed parts (from the room, not from either party's limits). */
export interface ZoneInput {
  /** The amount the plan repays before any one-off (the new principal of a restructuring). */
  principal: Minor
  /** The proposal's current rate: the top of the rate grid (at most 4 decimals). */
  currentRatePct: string
  /** How grace months treat interest (the room's choice); default 'capitalize' as in the terms engine. */
  graceInterest?: GraceInterest
  /** Methods to try, in tie-break order; default annuity, equal_principal, interest_only, bullet. */
  methods?: readonly Method[]
  /** The rate grid's step in ten-thousandths of a percent; default 500 (0.05 percentage points). */
  rateStepTenThousandths?: number
}

/** One point of the grid. */
export interface Candidate {
  method: Method
  termMonths: number
  graceMonths: number
  /** Rate in ten-thousandths of a percent (43500 = 4.35 %). */
  rateTenThousandths: number
  /** Paid now by the borrower: 0 or their oneOffNow. */
  oneOff: Minor
}

/** A candidate with its exact figures. */
export interface PlanFigures extends Candidate {
  terms: Terms
  /** The highest payment of the schedule. */
  highestPayment: Minor
  /** oneOff + the payments discounted at the lender's rate, rounded half up once (restructuring's presentValue). */
  presentValue: Minor
  /** oneOffNow + maxMonthly every month of the term, discounted the same way: the most the borrower could give. */
  borrowerCapacity: Minor
  /** borrowerCapacity − presentValue (≥ 0 for a feasible plan). */
  borrowerSurplus: Minor
  /** presentValue − minRecovery (≥ 0 for a feasible plan). */
  lenderSurplus: Minor
}

/**
 * How far the borrower's own limits are from a zone, each alone with everything else unchanged; null when
 * changing that limit alone would not open a zone on the grid. Values are rounded against the borrower
 * (up) to two significant figures so they do not pin down the lender's limits.
 */
export interface BorrowerGap {
  maxMonthlyAtLeast: Minor | null
  maxTermMonthsAtLeast: number | null
}

/** The lender's counterpart: minRecovery rounded down to two significant figures, terms in months. */
export interface LenderGap {
  minRecoveryAtMost: Minor | null
  maxTermMonthsAtLeast: number | null
}

export type ZoneResult =
  | { feasible: true; proposal: PlanFigures; gridSize: number; evaluated: number }
  | { feasible: false; borrower: BorrowerGap; lender: LenderGap; gridSize: number; evaluated: number }
