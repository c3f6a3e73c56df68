// JSON Schema of POST /api/rooms/:id/seat (shared/protocol/seat.ts).
import { SEAT_ROLES, type SeatRequest } from '../protocol/seat.ts'
import { compileValidator, type Validation } from './validate.ts'

export const seatRequestSchema = {
  $id: 'https://negotiation-room.local/schema/seat.json',
  type: 'object',
  additionalProperties: false,
  properties: { role: { enum: [...SEAT_ROLES] } },
} as const

export const validateSeatRequest: (x: unknown) => Validation<SeatRequest> = compileValidator<SeatRequest>(seatRequestSchema)
