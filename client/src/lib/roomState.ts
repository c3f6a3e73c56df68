// The server's view of a room (socket.io `room:state`), read defensively into one shape for the UI.

export type Phase = 'negotiating' | 'confirmed' | 'locked' | string

export interface Confirmation {
  role: 'borrower' | 'lender'
  name: string
  hash: string
  ts?: string | number
}

export interface Participant {
  role: string
  name: string
  online?: boolean
}

export interface RoomState {
  phase: Phase
  currentHash: string
  confirmations: { borrower: Confirmation | null; lender: Confirmation | null }
  participants: Participant[]
  agreementHash?: string
  lockedAt?: string | number
  /** Why the proposal cannot change although the room is not locked (over a size quota). */
  readOnly?: string
}

function asConfirmation(role: 'borrower' | 'lender', x: unknown): Confirmation | null {
  if (!x || typeof x !== 'object') return null
  const o = x as Record<string, unknown>
  if (typeof o.hash !== 'string') return null
  const ts = o.ts ?? o.confirmedAt ?? o.at
  return {
    role,
    name: typeof o.name === 'string' ? o.name : typeof o.fullName === 'string' ? o.fullName : '',
    hash: o.hash,
    ...(typeof ts === 'string' || typeof ts === 'number' ? { ts } : {}),
  }
}

/** Accepts `{borrower: {...}, lender: {...}}` or `[{role, ...}]`. */
export function normalizeConfirmations(x: unknown): RoomState['confirmations'] {
  const out: RoomState['confirmations'] = { borrower: null, lender: null }
  if (Array.isArray(x)) {
    for (const c of x) {
      const role = (c as { role?: unknown })?.role
      if (role === 'borrower' || role === 'lender') out[role] = asConfirmation(role, c)
    }
  } else if (x && typeof x === 'object') {
    const o = x as Record<string, unknown>
    out.borrower = asConfirmation('borrower', o.borrower)
    out.lender = asConfirmation('lender', o.lender)
  }
  return out
}

export function normalizeRoomState(x: unknown): RoomState | null {
  if (!x || typeof x !== 'object') return null
  const o = x as Record<string, unknown>
  const participants = Array.isArray(o.participants)
    ? o.participants
        .filter((p): p is Record<string, unknown> => !!p && typeof p === 'object')
        .map((p) => ({
          role: String(p.role ?? ''),
          name: String(p.name ?? ''),
          ...(typeof p.online === 'boolean' ? { online: p.online } : {}),
        }))
    : []
  const state: RoomState = {
    phase: typeof o.phase === 'string' ? o.phase : 'negotiating',
    currentHash: typeof o.currentHash === 'string' ? o.currentHash : '',
    confirmations: normalizeConfirmations(o.confirmations),
    participants,
  }
  if (typeof o.agreementHash === 'string') state.agreementHash = o.agreementHash
  if (typeof o.lockedAt === 'string' || typeof o.lockedAt === 'number') state.lockedAt = o.lockedAt
  if (typeof o.readOnly === 'string') state.readOnly = o.readOnly
  return state
}

/** A confirmation still counts only while it is for the current content. */
export function confirmedNow(state: RoomState | null, role: 'borrower' | 'lender'): Confirmation | null {
  const c = state?.confirmations[role] ?? null
  if (!c) return null
  if (state?.phase === 'locked') return c
  return c.hash === state?.currentHash ? c : null
}
