// The server's view of a room (socket.io `room:state`, typed by shared/protocol) and what the UI asks of it.
import type { Confirmation, PartyRole, RoomState } from '../../../shared/protocol/index.ts'

/** The contract's room:state, or null for a payload that does not have its shape (kept out of the UI). */
export function readRoomState(x: unknown): RoomState | null {
  if (!x || typeof x !== 'object') return null
  const o = x as Partial<RoomState>
  if (typeof o.phase !== 'string' || typeof o.currentHash !== 'string') return null
  if (!Array.isArray(o.confirmations) || !Array.isArray(o.participants)) return null
  return x as RoomState
}

/** This party's confirmation as the server holds it, whatever its hash. */
export function confirmationOf(state: RoomState | null, role: PartyRole): Confirmation | null {
  return state?.confirmations.find((c) => c.role === role) ?? null
}

/** A confirmation still counts only while it is for the current content. */
export function confirmedNow(state: RoomState | null, role: PartyRole): Confirmation | null {
  const c = confirmationOf(state, role)
  if (!c) return null
  if (state?.phase === 'locked') return c
  return c.hash === state?.currentHash ? c : null
}
