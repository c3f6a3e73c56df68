// A room's observers: the first one from the room's invites (POST /api/rooms), the others added and revoked
// through the room's log ('observer_added' / 'observer_revoked'), so every process and the archive agree on them
// without a second record. Who may add or revoke which is decided here too.
import { randomBytes } from 'node:crypto'
import { refuse, type Refusal } from '../../shared/protocol/errors.ts'
import {
  OBSERVER_LABELS,
  OBSERVER_SIDES,
  PRIMARY_OBSERVER_ID,
  type ObserverInfo,
  type ObserverLabel,
  type ObserverSide,
  type Role,
} from '../../shared/protocol/room.ts'
import { isObject } from '../../shared/schema/isObject.ts'
import type { InviteRecord, StoredEvent } from '../store/Store.ts'
import type { ObserverLookup } from './Presence.ts'

/** Who asks to add or revoke an observer: the operator, or the role of a room token. */
export type ObserverCaller = 'operator' | Role

/** English names for an observer without one (the client translates labels; a name is shown as given). */
export const LABEL_NAMES: Readonly<Record<ObserverLabel, string>> = {
  mediator: 'Mediator',
  advisor: 'Advisor',
  lawyer: 'Lawyer',
  other: 'Observer',
  auditor: 'Auditor',
}

export function newObserverId(): string {
  return `o_${randomBytes(6).toString('base64url')}`
}

/**
 * `wanted`, or with " 2", " 3"… when a participant of the room already has that name: presence and the chat tell people
 * apart by role and name, so two observers both called "Auditor" would show as one.
 */
export function distinctName(wanted: string, taken: Iterable<string>): string {
  const names = new Set(taken)
  if (!names.has(wanted)) return wanted
  let n = 2
  while (names.has(`${wanted} ${n}`)) n++
  return `${wanted} ${n}`
}

/** The observer an 'observer_added' payload describes, or null for one that is not (a corrupt or foreign line). */
export function observerFromPayload(payload: unknown): ObserverInfo | null {
  if (!isObject(payload)) return null
  const { id, label, side, name, addedBy, addedAt } = payload
  if (typeof id !== 'string' || typeof name !== 'string' || typeof addedAt !== 'number' || typeof addedBy !== 'string') return null
  if (!OBSERVER_LABELS.includes(label as ObserverLabel) || !OBSERVER_SIDES.includes(side as ObserverSide)) return null
  return { id, label: label as ObserverLabel, side: side as ObserverSide, name, addedBy: addedBy as ObserverInfo['addedBy'], addedAt }
}

/**
 * The room's observers not revoked, the first one first: `invites` from the room's record (its observer is neutral,
 * id PRIMARY_OBSERVER_ID), `events` the room's 'observer_added' and 'observer_revoked' events in any order.
 */
export function observersOf(invites: readonly InviteRecord[], events: readonly StoredEvent[], createdAt: number): ObserverInfo[] {
  const out = new Map<string, ObserverInfo>()
  const first = invites.find((i) => i.role === 'observer')
  if (first) {
    const label = first.label ?? 'other'
    out.set(PRIMARY_OBSERVER_ID, { id: PRIMARY_OBSERVER_ID, label, side: 'neutral', name: first.name, addedBy: 'operator', addedAt: createdAt })
  }
  for (const e of [...events].sort((a, b) => a.seq - b.seq)) {
    if (e.type === 'observer_added') {
      const o = observerFromPayload(e.payload)
      if (o && !out.has(o.id)) out.set(o.id, o)
    } else if (e.type === 'observer_revoked' && isObject(e.payload) && typeof e.payload.observerId === 'string') {
      out.delete(e.payload.observerId)
    }
  }
  return [...out.values()]
}

/** The ids of the room's revoked observers, from its 'observer_revoked' events. */
export function revokedObserverIds(events: readonly StoredEvent[]): Set<string> {
  const ids = new Set<string>()
  for (const e of events) if (e.type === 'observer_revoked' && isObject(e.payload) && typeof e.payload.observerId === 'string') ids.add(e.payload.observerId)
  return ids
}

/** The operator adds any observer; a party adds one on its own side (its advisor or counsel); an observer adds none. */
export function mayAddObserver(caller: ObserverCaller, side: ObserverSide): Refusal | null {
  if (caller === 'operator' || caller === side) return null
  if (caller === 'observer') return refuse('forbidden', 'an observer cannot invite observers')
  return refuse('forbidden', `the ${caller} may only invite an observer on the ${caller}'s side`)
}

/** The operator revokes any observer; a party revokes those on its own side; an observer revokes none. */
export function mayRevokeObserver(caller: ObserverCaller, observer: ObserverInfo): Refusal | null {
  if (caller === 'operator' || caller === observer.side) return null
  if (caller === 'observer') return refuse('forbidden', 'an observer cannot revoke observers')
  return refuse('forbidden', `the ${caller} may only revoke observers on the ${caller}'s side`)
}

/** Label and side of each observer by name, from the invites and the 'observer_added' events among `events` (revoked ones too: they may be in the log's presence). */
export function observerLookup(invites: readonly InviteRecord[], events: readonly StoredEvent[]): ObserverLookup {
  const known = new Map<string, { label: ObserverLabel; side: ObserverSide }>()
  for (const i of invites) if (i.role === 'observer') known.set(i.name, { label: i.label ?? 'other', side: 'neutral' })
  for (const e of events) {
    const o = e.type === 'observer_added' ? observerFromPayload(e.payload) : null
    if (o && !known.has(o.name)) known.set(o.name, { label: o.label, side: o.side })
  }
  return (role, name) => {
    const o = role === 'observer' ? known.get(name) : undefined
    return o ? { label: o.label, ...(o.side !== 'neutral' ? { side: o.side } : {}) } : {}
  }
}
