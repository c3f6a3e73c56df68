// The checks every command makes before it decides anything: the room works, the actor may, the phase allows.
import { refuse, type Refusal } from '../../shared/protocol/errors.ts'
import type { Actor, PartyRole, Phase } from '../../shared/protocol/room.ts'
import { RoomFault, roomBrokenRefusal } from './RoomFault.ts'

export interface Needs {
  /** Only the borrower and the lender: the refusal's message names what the others may not do. */
  party?: string
  /** Only before the lock. */
  negotiating?: boolean
}

export function isParty(role: string): role is PartyRole {
  return role === 'borrower' || role === 'lender'
}

/** What every command answers once the room is broken. */
export function brokenRefusal(broken: Error): Refusal {
  return broken instanceof RoomFault ? roomBrokenRefusal() : refuse('storage_failure', 'the room is reloading after a storage failure')
}

/** Null when `actor` may go on; else the refusal, checked in this order: broken, role, phase. */
export function guard(room: { readonly broken: Error | null; readonly phase: Phase }, actor: Actor, needs: Needs = {}): Refusal | null {
  if (room.broken) return brokenRefusal(room.broken)
  if (needs.party !== undefined && !isParty(actor.role)) return refuse('forbidden', needs.party)
  if (needs.negotiating && room.phase !== 'negotiating') return refuse('locked', 'the room is locked; the agreement is signed')
  return null
}
