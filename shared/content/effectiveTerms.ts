// The terms every figure is computed from: in a restructuring room the principal is the computed new principal.
import type { RoomContent, ScalarMap } from '../document/roomDoc.ts'
import { breakdownOf, isRestructuring } from './breakdown.ts'

export { isRestructuring }

/**
 * A copy of the room's terms with, in a restructuring room, `principal` replaced by the new principal
 * (outstanding + accrued + penalty + fees − waivers); a typed `terms.principal` is ignored there. While the
 * baseline or the waivers are not valid, a restructuring room's terms have no principal at all, so no figure is
 * computed from a number nobody agreed. Outside a restructuring room: the terms as they are.
 */
export function effectiveTerms(content: Pick<RoomContent, 'terms' | 'baseline' | 'waivers'>): ScalarMap {
  if (!isRestructuring(content)) return { ...content.terms }
  const { principal: _typed, ...rest } = content.terms
  const b = breakdownOf(content)
  return b?.ok ? { ...rest, principal: b.breakdown.newPrincipal } : rest
}
