// JSON Schema of POST /api/rooms (operator). The terms, baseline, waivers and commitments it carries are
// checked as the room will hold them by shared/content/createRoom.ts.
import type { CreateRoomRequest } from '../protocol/http.ts'
import { OBSERVER_LABELS } from '../protocol/room.ts'
import { compileValidator } from './validate.ts'

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
    lenderInstitution: { type: 'string', minLength: 1, maxLength: 120 },
    baseline: { type: 'object' },
    waivers: { type: 'object' },
    commitments: { type: 'object' },
  },
} as const

/** The request body's own shape (title, currency, names…); its terms, baseline and waivers are checked as content. */
export const validateCreateRoomShape = compileValidator<CreateRoomRequest>(createRoomSchema, {
  messages: { '#/properties/currency/pattern': 'must be an ISO 4217 code such as "CNY"' },
  check: (r) => {
    if (r.title.trim() === '') return '/title: must not be blank'
    for (const [role, n] of Object.entries(r.names ?? {})) if (n.trim() === '') return `/names/${role}: must not be blank`
    if (r.lenderInstitution !== undefined && r.lenderInstitution.trim() === '') return '/lenderInstitution: must not be blank'
    return null
  },
})
