// JSON Schema of POST /api/rooms/:id/invites/revoke (operator): which roles' invite links stop working.
import type { RevokeInvitesRequest } from '../protocol/http.ts'
import { compileValidator, type Validation } from './validate.ts'

export const INVITE_ROLES = ['borrower', 'lender', 'observer'] as const

export const revokeInvitesSchema = {
  $id: 'https://negotiation-room.local/schema/revoke-invites.json',
  type: 'object',
  additionalProperties: false,
  properties: {
    roles: { type: 'array', minItems: 1, maxItems: 3, uniqueItems: true, items: { enum: [...INVITE_ROLES] } },
  },
} as const

export const validateRevokeInvites: (x: unknown) => Validation<RevokeInvitesRequest> = compileValidator<RevokeInvitesRequest>(revokeInvitesSchema)
