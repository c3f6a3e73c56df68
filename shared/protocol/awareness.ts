// What a y-websocket awareness state holds in this product (presence: who is here, which field
// they are editing). The server rewrites `user` from the connection's token, whatever the client
// sent, so a presence can only ever speak for the person who holds the token.
import type { Role } from '../document/roomDoc.ts'
import type { ObserverLabel } from './room.ts'

/** Presence colours: derived from the role on the server, never taken from a client. */
export const ROLE_COLORS: Readonly<Record<Role, string>> = {
  borrower: '#0f6e6e',
  lender: '#3b4fa8',
  observer: '#6b5b3e',
}

/** Largest awareness state accepted from a client (its JSON, in bytes); ours is ~120. */
export const AWARENESS_STATE_MAX_BYTES = 2048

/** Awareness client ids one connection may announce over its whole life (a y-websocket client uses one). */
export const AWARENESS_IDS_PER_CONNECTION = 4

export interface AwarenessUser {
  name: string
  role: Role
  color: string
  label?: ObserverLabel
}

/** An awareness state as the room relays it (what every browser reads). */
export interface AwarenessState {
  user: AwarenessUser
  /** The field being edited: a terms key, `clauses`, or `<root>.<key>` (profile, baseline, waivers, commitments). */
  editing?: string | null
}

/** What a client may send; the server then sets `user` itself (AwarenessState below); shared/schema/awareness.schema.ts bounds it. */
export interface AwarenessInput {
  user?: { name?: string; role?: string; color?: string; label?: string }
  editing?: string | null
}
