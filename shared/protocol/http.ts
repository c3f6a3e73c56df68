// HTTP bodies (DESIGN.md "Transports": HTTP). Errors are `{error, message}` with a 4xx/5xx status.
import type { Baseline } from '../restructuring/baseline.ts'
import type { Commitments } from '../restructuring/commitments.ts'
import type { Waivers } from '../restructuring/waivers.ts'
import type { Terms } from '../terms/types.ts'
import type { DisclosureRules } from '../disclosure/disclosures.ts'
import type { ErrorCode } from './errors.ts'
import type { Confirmation, ObserverInfo, ObserverLabel, ObserverSide, Participant, PartyRole, Phase, Role } from './room.ts'
import type { Rating } from './socket.ts'

export interface CreateRoomRequest {
  title: string
  /** ISO 4217, e.g. "CNY" */
  currency: string
  /** With a `baseline` the principal is computed (baseline less waivers): leave it out (a given one is ignored). */
  terms: CreateRoomTerms
  /** The loan being restructured, to compare against. */
  original?: Terms
  names?: Partial<Record<Role, string>>
  observerLabel?: ObserverLabel
  /** The bank or company that lends, named as a party on the agreement beside the person who signs for it. */
  lenderInstitution?: string
  /** Restructuring a loan in trouble: the debt as stated by the lender (Y.Map("baseline")). */
  baseline?: Baseline
  /** Initial waivers (Y.Map("waivers")), each within its category of the baseline. */
  waivers?: Waivers
  /** Initial commitments (Y.Map("commitments")). */
  commitments?: Commitments
}

/** The starting terms; `principal` is required unless the room has a baseline. */
export type CreateRoomTerms = Omit<Terms, 'principal'> & { principal?: Terms['principal'] }

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
  lenderInstitution?: string
  createdAt: number
  lastActivity: number
  /** Who is asking: the token's role and name, the operator, or a staff member (or API key) of the room's organisation. */
  you: { role: Role | 'operator' | 'staff'; name: string; label?: ObserverLabel }
  /** ms since epoch, once locked. */
  lockedAt?: number
  /** This room was opened to amend the agreement of that (locked) room. */
  amendmentOf?: string
  /** Amendment rooms opened from this room's agreement, oldest first. */
  amendments?: string[]
  /** The disclosure rules of this server (LPR table, ceiling multiple): the room shows the same warnings the lock records. */
  disclosureRules?: DisclosureRules
  rating: RatingSummary
  /** The parties who rated the session. */
  ratedBy: PartyRole[]
  /** The ratings themselves: only for the operator and the organisation's staff. */
  ratings?: Rating[]
  /** The lender organisation the room belongs to, and who opened it for it (absent for rooms of the operator key). */
  orgId?: string
  createdBy?: RoomCreatorInfo
}

/** A staff member or an organisation API key. */
export interface RoomCreatorInfo {
  kind: 'staff' | 'apiKey'
  id: string
  name: string
}

/** The parties' satisfaction (rating:submit): average stars (null before any rating) and how many rated. */
export interface RatingSummary {
  average: number | null
  count: number
}

/** POST /api/rooms/:id/amend: 201 with a new room, or 200 with the amendment room still being negotiated (`existing`). */
export interface AmendResponse extends CreateRoomResponse {
  amendmentOf: string
  existing: boolean
}

export interface RoomSummary {
  roomId: string
  title: string
  currency: string
  phase: Phase
  createdAt: number
  /** ms since epoch of the last logged event */
  lastActivity: number
  rating: RatingSummary
  amendmentOf?: string
  orgId?: string
  createdBy?: RoomCreatorInfo
}

export interface RoomList {
  rooms: RoomSummary[]
}

export interface ErrorBody {
  error: ErrorCode
  message: string
}

/** POST /api/rooms/:id/invites/revoke (operator): the roles whose invites stop working; all three when left out. */
export interface RevokeInvitesRequest {
  roles?: Role[]
}

/** The revoked roles and a fresh invite for each, so the room goes on with new links. */
export interface RevokeInvitesResponse {
  roomId: string
  revoked: Role[]
  invites: Partial<Record<Role, Invite>>
}

/** POST /api/rooms/:id/observers: the operator adds any observer; a party adds one on its own side. */
export interface AddObserverRequest {
  label: ObserverLabel
  side: ObserverSide
  name?: string
}

/** The new observer and its invite link (shown once: the list does not repeat tokens). */
export interface AddObserverResponse {
  observer: ObserverInfo
  invite: Invite
}

/** GET /api/rooms/:id/observers: the room's observers not revoked, the first one first. */
export interface ObserverListResponse {
  observers: ObserverInfo[]
}
