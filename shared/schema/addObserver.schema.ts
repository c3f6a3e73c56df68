// JSON Schema of POST /api/rooms/:id/observers: the new observer's label, side and optional display name.
import type { AddObserverRequest } from '../protocol/http.ts'
import { OBSERVER_LABELS, OBSERVER_SIDES } from '../protocol/room.ts'
import { compileValidator, type Validation } from './validate.ts'

export const addObserverSchema = {
  $id: 'https://negotiation-room.local/schema/add-observer.json',
  type: 'object',
  additionalProperties: false,
  required: ['label', 'side'],
  properties: {
    label: { enum: [...OBSERVER_LABELS] },
    side: { enum: [...OBSERVER_SIDES] },
    name: { type: 'string', minLength: 1, maxLength: 80 },
  },
} as const

export const validateAddObserver: (x: unknown) => Validation<AddObserverRequest> = compileValidator<AddObserverRequest>(addObserverSchema, {
  check: (r) => (r.name !== undefined && r.name.trim() === '' ? '/name: must not be blank' : null),
})
