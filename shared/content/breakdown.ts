// A room's raw content read as a restructuring: is it one, and what new principal its baseline and waivers give.
import type { RoomContent } from '../document/roomDoc.ts'
import { newPrincipal, type NewPrincipalBreakdown } from '../restructuring/newPrincipal.ts'
import type { Baseline } from '../restructuring/baseline.ts'
import { waiversAgainstBaseline, type Waivers } from '../restructuring/waivers.ts'
import { validateBaseline } from '../schema/baseline.schema.ts'
import { prefixed } from '../schema/validate.ts'
import { validateWaivers } from '../schema/waivers.schema.ts'

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
