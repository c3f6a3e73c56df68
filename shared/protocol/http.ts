// HTTP bodies (DESIGN.md "Transports": HTTP). Errors are `{error, message}` with a 4xx/5xx status.
import type { Terms } from '../terms/types.ts'
import type { ErrorCode } from './errors.ts'
import type { Confirmation, ObserverLabel, Participant, Phase, Role } from './room.ts'

export interface CreateRoomRequest {
  title: string
  /** ISO 4217, e.g. "CNY" */
  currency: string
  terms: Terms
  /** The loan being restructured, to compare against. */
  original?: Terms
  names?: Partial<Record<Role, string>>
  observerLabel?: ObserverLabel
}

export interface Invite {
  token: string
  /** Opens the room in the browser; the token is in the fragment so it never reaches logs or Referer. */
  url: string
}

export interface CreateRoomResponse {
  roomId: string
  invites: Record<Role, Invite>
}

export interface RoomInfo {
  roomId: string
  title: string
  currency: string
  phase: Phase
  currentHash: string
  participants: Participant[]
  confirmations: Confirmation[]
  agreementHash?: string
  original?: Terms
  /** Display names of the three invites (also of those who have not joined yet). */
  names: Record<Role, string>
  observerLabel?: ObserverLabel
  createdAt: number
  lastActivity: number
  /** Who is asking: the token's role and name, or the operator. */
  you: { role: Role | 'operator'; name: string; label?: ObserverLabel }
}

export interface RoomSummary {
  roomId: string
  title: string
  currency: string
  phase: Phase
  createdAt: number
  /** ms since epoch of the last logged event */
  lastActivity: number
}

export interface RoomList {
  rooms: RoomSummary[]
}

export interface ErrorBody {
  error: ErrorCode
  message: string
}
