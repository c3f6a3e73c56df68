// What GET /api/rooms/:id tells a participant about the room, read defensively.
import type { Role } from '../../../shared/document/roomDoc.ts'
import { readTokenClaims } from './session.ts'

export type ObserverLabel = 'mediator' | 'advisor' | 'lawyer' | 'other'

export interface RoomInfo {
  roomId: string
  title: string
  currency: string
  /** The original loan's terms, for before → after. */
  original: Record<string, unknown> | null
  observerLabel: ObserverLabel
  /** Display names per role when the operator gave them. */
  names: Partial<Record<Role, string>>
  createdAt?: string | number
  raw: Record<string, unknown>
}

const LABELS: readonly ObserverLabel[] = ['mediator', 'advisor', 'lawyer', 'other']

function str(x: unknown): string | undefined {
  return typeof x === 'string' && x ? x : undefined
}

export function observerLabelOf(x: unknown): ObserverLabel {
  return LABELS.includes(x as ObserverLabel) ? (x as ObserverLabel) : 'mediator'
}

function observerFromParticipants(x: unknown): unknown {
  if (!Array.isArray(x)) return undefined
  const o = x.find((p) => p && typeof p === 'object' && (p as { role?: unknown }).role === 'observer') as { label?: unknown } | undefined
  return o?.label
}

export function readRoomInfo(roomId: string, body: unknown): RoomInfo {
  const o = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>
  const room = (o.room && typeof o.room === 'object' ? o.room : o) as Record<string, unknown>
  const namesIn = (room.names ?? {}) as Record<string, unknown>
  const names: Partial<Record<Role, string>> = {}
  for (const r of ['borrower', 'lender', 'observer'] as const) {
    const fromList = Array.isArray(room.participants)
      ? (room.participants as { role?: unknown; name?: unknown }[]).find((p) => p?.role === r)?.name
      : undefined
    const n = str(namesIn?.[r]) ?? str(fromList)
    if (n) names[r] = n
  }
  const original = room.original && typeof room.original === 'object' ? (room.original as Record<string, unknown>) : null
  const info: RoomInfo = {
    roomId: str(room.roomId) ?? str(room.id) ?? roomId,
    title: str(room.title) ?? '',
    currency: str(room.currency) ?? 'CNY',
    original,
    observerLabel: observerLabelOf(room.observerLabel ?? observerFromParticipants(room.participants) ?? (room.you as { label?: unknown } | undefined)?.label),
    names,
    raw: o,
  }
  const created = room.createdAt
  if (typeof created === 'string' || typeof created === 'number') info.createdAt = created
  return info
}

/** Who this browser is in the room: from the server's answer if it says, else from the token's claims. */
export function readMe(body: unknown, token: string): { role: Role; name: string; observerLabel?: ObserverLabel } | null {
  const o = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>
  const fromBody = (o.you ?? o.me ?? o.viewer) as Record<string, unknown> | undefined
  const src = fromBody && typeof fromBody === 'object' ? fromBody : (readTokenClaims(token) ?? {})
  const role = src.role
  if (role !== 'borrower' && role !== 'lender' && role !== 'observer') return null
  const name = str(src.name) ?? str(src.displayName) ?? ''
  const me: { role: Role; name: string; observerLabel?: ObserverLabel } = { role, name }
  const label = src.observerLabel ?? src.label
  if (label !== undefined) me.observerLabel = observerLabelOf(label)
  return me
}
