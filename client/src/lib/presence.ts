// Who is in the room and who changed what, as the browser reads it from the Yjs awareness states.
import type * as Y from 'yjs'
import type { Awareness } from 'y-protocols/awareness'
import type { Role } from '../../../shared/document/roomDoc.ts'
import { ROLE_COLORS } from '../../../shared/protocol/awareness.ts'

export interface Presence {
  clientId: number
  name: string
  role: Role
  color: string
  editing: string | null
  self: boolean
}

/** The last remote change of a field: who made it and when (the field flashes in their colour). */
export interface RemoteEdit {
  name: string
  role: string
  color: string
  at: number
}

const ORDER = { borrower: 0, lender: 1, observer: 2 } as const

/** Everyone with a valid awareness state: ourselves first, then borrower, lender, observer, by name. */
export function readPresence(awareness: Awareness, selfId: number): Presence[] {
  const out: Presence[] = []
  awareness.getStates().forEach((st, clientId) => {
    const s = st as { user?: { name?: unknown; role?: unknown; color?: unknown }; editing?: unknown }
    const role = s.user?.role
    if (role !== 'borrower' && role !== 'lender' && role !== 'observer') return
    out.push({
      clientId,
      name: typeof s.user?.name === 'string' ? s.user.name : '',
      role,
      color: typeof s.user?.color === 'string' ? s.user.color : ROLE_COLORS[role],
      editing: typeof s.editing === 'string' ? s.editing : null,
      self: clientId === selfId,
    })
  })
  return out.sort((a, b) => Number(b.self) - Number(a.self) || ORDER[a.role] - ORDER[b.role] || a.name.localeCompare(b.name))
}

/** The person whose client wrote a map entry, via the awareness state of that Yjs client. */
export function authorOf(clientId: number | null, awareness: Awareness): Omit<RemoteEdit, 'at'> | null {
  if (clientId === null) return null
  const st = awareness.getStates().get(clientId) as { user?: { name?: string; role?: string; color?: string } } | undefined
  if (st?.user?.name) return { name: st.user.name, role: st.user.role ?? '', color: st.user.color ?? '#555' }
  return null
}

/** The Yjs client id that wrote the current value of a map key (Yjs keeps it on the item, not in its API). */
export function writerOf<T>(map: Y.Map<T>, key: string): number | null {
  const item = (map as unknown as { _map: Map<string, { id: { client: number }; deleted: boolean }> })._map.get(key)
  return item ? item.id.client : null
}
