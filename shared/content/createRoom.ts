// POST /api/rooms checked as the room will hold it: the body's schema, then the terms by validateTerms and a
// restructuring room's baseline, waivers and commitments by their own schemas and then together (checkContent).
import type { Scalar } from '../document/roomDoc.ts'
import type { CreateRoomRequest } from '../protocol/http.ts'
import type { Waivers } from '../restructuring/waivers.ts'
import { validateBaseline } from '../schema/baseline.schema.ts'
import { validateCreateRoomShape } from '../schema/createRoom.schema.ts'
import { validateTerms } from '../schema/terms.schema.ts'
import { prefixed, type Validation } from '../schema/validate.ts'
import type { Terms } from '../terms/types.ts'
import { checkContent } from './validateContent.ts'

/** The terms without `principal` (a restructuring room computes it from the baseline less the waivers). */
function withoutPrincipal<T extends object>(terms: T): Omit<T, 'principal'> {
  const { principal: _computed, ...rest } = terms as T & { principal?: unknown }
  return rest
}

const asMap = (x: object | undefined): Record<string, Scalar> => (x ?? {}) as Record<string, Scalar>

/**
 * {ok, value} with the terms normalised by validateTerms, or the first problem as "/path: reason" (a path of the
 * request body). With a `baseline` the room restructures a loan in trouble: the baseline, waivers and commitments
 * are checked by their schemas and then together as the room will hold them (checkContent: each waiver within
 * its category, the terms on the computed new principal, the first due date after the baseline date…). There the
 * principal is computed, never typed: a `terms.principal` given is left out of the room.
 */
export function validateCreateRoom(x: unknown): Validation<CreateRoomRequest> {
  const r = validateCreateRoomShape(x)
  if (!r.ok) return r
  const req = r.value
  const restructuring = req.baseline !== undefined
  if (restructuring) {
    // First the debt itself, so that a half-stated baseline is named before anything computed from it.
    const b = validateBaseline(req.baseline)
    if (!b.ok) return { ok: false, error: prefixed('/baseline', b.error) }
  }
  const checked = checkContent({
    terms: asMap(restructuring ? withoutPrincipal(req.terms) : req.terms),
    clauses: '',
    profile: {},
    baseline: asMap(req.baseline),
    waivers: asMap(req.waivers),
    commitments: asMap(req.commitments),
  })
  if (!checked.ok) return { ok: false, error: checked.errors[0] ?? '/: is invalid' }
  let original: Terms | undefined
  if (req.original !== undefined) {
    const o = validateTerms(req.original)
    if (!o.ok) return { ok: false, error: prefixed('/original', o.error) }
    original = o.value
  }
  const { terms, commitments, restructuring: checkedRestructuring } = checked.value
  const value: CreateRoomRequest = { ...req, terms: checkedRestructuring ? withoutPrincipal(terms) : terms }
  if (original) value.original = original
  if (checkedRestructuring) value.baseline = checkedRestructuring.baseline
  if (req.waivers !== undefined) value.waivers = checkedRestructuring ? checkedRestructuring.waivers : (req.waivers as Waivers)
  if (req.commitments !== undefined) value.commitments = commitments
  return { ok: true, value }
}
