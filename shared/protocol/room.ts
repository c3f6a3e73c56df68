// The room as every participant sees it (socket.io `room:state`, GET /api/rooms/:id).
import type { Role } from '../document/roomDoc.ts'

export type { Role }
export type PartyRole = 'borrower' | 'lender'
/** Who wrote an event: a participant, or the server itself (room creation, lock). */
export type ActorRole = Role | 'system'
export type ObserverLabel = 'mediator' | 'advisor' | 'lawyer' | 'other' | 'auditor'
export const OBSERVER_LABELS: readonly ObserverLabel[] = ['mediator', 'advisor', 'lawyer', 'other', 'auditor']
/** Whom an observer stands with: nobody (a mediator, an auditor of the room) or one party (that party's advisor or counsel). */
export type ObserverSide = 'neutral' | PartyRole
export const OBSERVER_SIDES: readonly ObserverSide[] = ['neutral', 'borrower', 'lender']

/** One observer invite of a room (POST /api/rooms/:id/observers); the room's first observer has id PRIMARY_OBSERVER_ID. */
export interface ObserverInfo {
  id: string
  label: ObserverLabel
  side: ObserverSide
  /** Display name (the label's name when none was given). */
  name: string
  /** Who added it: the operator at creation or later, or a party for its own side. */
  addedBy: ActorRole | 'operator'
  /** ms since epoch */
  addedAt: number
}

/** The invite POST /api/rooms answers as `observer`: neutral, with the room's observerLabel. */
export const PRIMARY_OBSERVER_ID = 'observer'

export type Phase = 'negotiating' | 'locked'

export interface Actor {
  role: ActorRole
  name: string
  /** The staff member in the lender's seat (a seat token, POST /api/rooms/:id/seat); absent for invite links. */
  staffId?: string
  /** That staff member's organisation. */
  orgId?: string
}

/** Exactly the fields of an actor that are logged and hashed (nothing else rides along). */
export function actorOf(a: Actor): Actor {
  const out: Actor = { role: a.role, name: a.name }
  if (a.staffId !== undefined) out.staffId = a.staffId
  if (a.orgId !== undefined) out.orgId = a.orgId
  return out
}

export interface Participant {
  role: Role
  name: string
  label?: ObserverLabel
  /** An observer's side (neutral when left out). */
  side?: ObserverSide
  online: boolean
}

export interface Confirmation {
  role: PartyRole
  /** Display name from the invite. */
  name: string
  /** The full legal name typed when confirming. */
  fullName: string
  hash: string
  /** ms since epoch */
  ts: number
}

export interface RoomState {
  phase: Phase
  currentHash: string
  confirmations: Confirmation[]
  participants: Participant[]
  /** SHA-256 of the signed agreement (shared/agreement/agreement.ts agreementHash), once locked. */
  agreementHash?: string
  /** ms since epoch, once locked (the agreement's lockedAt). */
  lockedAt?: number
  /** The parties who rated the session (rating:submit), when any did. */
  ratedBy?: PartyRole[]
  /** Why the proposal cannot change although the room is not locked (it is over a size quota since it was loaded). */
  readOnly?: string
  /** A cooling-off pause in force (pause:call): the proposal and confirmations are frozen until endsAt; chat stays open. */
  pause?: PauseInfo
  /** How many more pauses each party may call (PAUSES_PER_PARTY less those called); a neutral is not counted. */
  pausesLeft?: Record<PartyRole, number>
}

/** A cooling-off pause as every screen shows it (its 'paused' log event holds the same fields). */
export interface PauseInfo {
  byRole: Role
  byName: string
  /** Free text from the caller, shown as text. */
  reason?: string
  /** ms since epoch */
  startedAt: number
  /** ms since epoch: the pause lifts itself then (or earlier, when its caller ends it). */
  endsAt: number
}
