// The restructured loan's principal, computed and never typed: what is owed on asOfDate less what the lender waives.
import type { RoomContent } from '../document/roomDoc.ts'
import { validateBaseline, type Baseline } from '../schema/baseline.schema.ts'
import { validateWaivers, waived, waiversAgainstBaseline, type Waivers } from '../schema/waivers.schema.ts'
import type { Minor } from '../terms/types.ts'

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

/** A room restructures an existing debt when the lender has stated an outstanding principal. */
export function isRestructuring(content: Pick<RoomContent, 'baseline'>): boolean {
  return Object.prototype.hasOwnProperty.call(content.baseline, 'outstandingPrincipal')
}

export type BreakdownCheck =
  | { ok: true; baseline: Baseline; waivers: Waivers; breakdown: NewPrincipalBreakdown }
  | { ok: false; errors: string[] }

/**
 * The breakdown from a room's raw content, or every reason it cannot be computed as content paths
 * ("/baseline/asOfDate: …", "/waivers/fees: must be <= the baseline fees (36500)"). Null outside a restructuring room.
 */
export function breakdownOf(content: Pick<RoomContent, 'baseline' | 'waivers'>): BreakdownCheck | null {
  if (!isRestructuring(content)) return null
  const errors: string[] = []
  const b = validateBaseline(content.baseline)
  if (!b.ok) errors.push(prefixed('/baseline', b.error))
  const w = validateWaivers(content.waivers)
  if (!w.ok) errors.push(prefixed('/waivers', w.error))
  if (b.ok && w.ok) for (const e of waiversAgainstBaseline(w.value, b.value)) errors.push(prefixed('/waivers', e))
  if (!b.ok || !w.ok || errors.length > 0) return { ok: false, errors }
  return { ok: true, baseline: b.value, waivers: w.value, breakdown: newPrincipal(b.value, w.value) }
}

/** "/fees: reason" found inside `prefix` → "/waivers/fees: reason"; "/: reason" → "/waivers: reason". */
export function prefixed(prefix: string, error: string): string {
  const at = error.indexOf(': ')
  const path = at === -1 ? '/' : error.slice(0, at)
  const reason = at === -1 ? error : error.slice(at + 2)
  return `${prefix}${path === '/' ? '' : path}: ${reason}`
}
