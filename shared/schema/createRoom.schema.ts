// JSON Schema of POST /api/rooms (operator). The terms themselves are checked by validateTerms; a restructuring
// room's baseline, waivers and commitments by their own schemas and then together (checkContent).
import { checkContent } from '../document/validateContent.ts'
import type { Scalar } from '../document/roomDoc.ts'
import type { CreateRoomRequest } from '../protocol/http.ts'
import { OBSERVER_LABELS } from '../protocol/room.ts'
import type { Terms } from '../terms/types.ts'
import { validateBaseline } from './baseline.schema.ts'
import { validateTerms } from './terms.schema.ts'
import { compileValidator, type Validation } from './validate.ts'
import type { Waivers } from './waivers.schema.ts'

const name = { type: 'string', minLength: 1, maxLength: 80 } as const

export const createRoomSchema = {
  $id: 'https://negotiation-room.local/schema/create-room.json',
  type: 'object',
  additionalProperties: false,
  required: ['title', 'currency', 'terms'],
  properties: {
    title: { type: 'string', minLength: 1, maxLength: 200 },
    currency: { type: 'string', pattern: '^[A-Z]{3}$' },
    terms: { type: 'object' },
    original: { type: 'object' },
    names: {
      type: 'object',
      additionalProperties: false,
      properties: { borrower: name, lender: name, observer: name },
    },
    observerLabel: { enum: [...OBSERVER_LABELS] },
    baseline: { type: 'object' },
    waivers: { type: 'object' },
    commitments: { type: 'object' },
  },
} as const

const shape = compileValidator<CreateRoomRequest>(createRoomSchema, {
  messages: { '#/properties/currency/pattern': 'must be an ISO 4217 code such as "CNY"' },
  check: (r) => {
    if (r.title.trim() === '') return '/title: must not be blank'
    for (const [role, n] of Object.entries(r.names ?? {})) if (n.trim() === '') return `/names/${role}: must not be blank`
    return null
  },
})

/** "/principal: reason" found inside `prefix` → "/terms/principal: reason". */
function nested(prefix: string, error: string): string {
  const at = error.indexOf(': ')
  const path = at === -1 ? '/' : error.slice(0, at)
  const reason = at === -1 ? error : error.slice(at + 2)
  return `${prefix}${path === '/' ? '' : path}: ${reason}`
}

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
  const r = shape(x)
  if (!r.ok) return r
  const req = r.value
  const restructuring = req.baseline !== undefined
  if (restructuring) {
    // First the debt itself, so that a half-stated baseline is named before anything computed from it.
    const b = validateBaseline(req.baseline)
    if (!b.ok) return { ok: false, error: nested('/baseline', b.error) }
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
    if (!o.ok) return { ok: false, error: nested('/original', o.error) }
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
