// JSON Schema of an awareness state a client announces (y-websocket awareness). Only the known
// fields pass; `user` is replaced by the server from the token, so here it is only bounded.
import type { AwarenessInput } from '../protocol/awareness.ts'
import { compileValidator, type Validation } from './validate.ts'

export const awarenessStateSchema = {
  $id: 'https://negotiation-room.local/schema/awareness-state.json',
  type: 'object',
  additionalProperties: false,
  properties: {
    user: {
      type: 'object',
      additionalProperties: false,
      properties: {
        name: { type: 'string', maxLength: 200 },
        role: { type: 'string', maxLength: 32 },
        color: { type: 'string', pattern: '^#[0-9A-Fa-f]{6}$' },
        label: { type: 'string', maxLength: 32 },
      },
    },
    // A field key: `principal`, `clauses`, `profile.monthlyIncome`, `commitments.<key>`.
    editing: { anyOf: [{ type: 'null' }, { type: 'string', pattern: '^[A-Za-z0-9_.:-]{1,128}$' }] },
  },
} as const

export const validateAwarenessState: (x: unknown) => Validation<AwarenessInput> = compileValidator<AwarenessInput>(awarenessStateSchema)
