// JSON Schema of POST /api/rooms (operator). The terms themselves are checked by validateTerms.
import type { CreateRoomRequest } from '../protocol/http.ts'
import { OBSERVER_LABELS } from '../protocol/room.ts'
import type { Terms } from '../terms/types.ts'
import { validateTerms } from './terms.schema.ts'
import { compileValidator, type Validation } from './validate.ts'

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

/** {ok, value} with the terms normalised by validateTerms, or the first problem as "/path: reason". */
export function validateCreateRoom(x: unknown): Validation<CreateRoomRequest> {
  const r = shape(x)
  if (!r.ok) return r
  const terms = validateTerms(r.value.terms)
  if (!terms.ok) return { ok: false, error: nested('/terms', terms.error) }
  let original: Terms | undefined
  if (r.value.original !== undefined) {
    const o = validateTerms(r.value.original)
    if (!o.ok) return { ok: false, error: nested('/original', o.error) }
    original = o.value
  }
  return { ok: true, value: { ...r.value, terms: terms.value, ...(original ? { original } : {}) } }
}
