// The restructured loan's principal, computed and never typed: what is owed on asOfDate less what the lender waives.
import type { Minor } from '../terms/types.ts'
import type { Baseline } from './baseline.ts'
import { waived, type Waivers } from './waivers.ts'

export interface WaiverAmounts {
  accruedInterest: Minor
  penaltyInterest: Minor
  fees: Minor
  /** accruedInterest + penaltyInterest + fees. */
  total: Minor
}

/** How the new principal is made up; shown wherever the new principal appears. */
export interface NewPrincipalBreakdown {
  outstandingPrincipal: Minor
  accruedInterest: Minor
  penaltyInterest: Minor
  fees: Minor
  /** outstandingPrincipal + accruedInterest + penaltyInterest + fees: the claim on asOfDate before any waiver. */
  totalOwed: Minor
  waivers: WaiverAmounts
  /** totalOwed − waivers.total. */
  newPrincipal: Minor
}

/**
 * The breakdown of a validated baseline and waivers (each waiver ≤ its category). Every amount is at most
 * MAX_PRINCIPAL (10^13), so sums of four stay far below 2^53 and integer arithmetic is exact.
 */
export function newPrincipal(baseline: Baseline, waivers: Waivers): NewPrincipalBreakdown {
  const w = {
    accruedInterest: waived(waivers, 'accruedInterest'),
    penaltyInterest: waived(waivers, 'penaltyInterest'),
    fees: waived(waivers, 'fees'),
  }
  const total = w.accruedInterest + w.penaltyInterest + w.fees
  const totalOwed = baseline.outstandingPrincipal + baseline.accruedInterest + baseline.penaltyInterest + baseline.fees
  return {
    outstandingPrincipal: baseline.outstandingPrincipal,
    accruedInterest: baseline.accruedInterest,
    penaltyInterest: baseline.penaltyInterest,
    fees: baseline.fees,
    totalOwed,
    waivers: { ...w, total },
    newPrincipal: totalOwed - total,
  }
}
