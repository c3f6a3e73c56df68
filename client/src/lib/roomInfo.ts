// What GET /api/rooms/:id (shared/protocol RoomInfo) tells the room page, with the observer's label settled.
import type { RoomInfo } from '../../../shared/protocol/http.ts'
import { OBSERVER_LABELS, OBSERVER_SIDES, type ObserverLabel, type ObserverSide, type Role } from '../../../shared/protocol/room.ts'
import { readTokenClaims } from './session.ts'
import { DEFAULT_DISCLOSURE_RULES, type DisclosureRules } from '../../../shared/disclosure/disclosures.ts'
import { parseLprTable } from '../../../shared/disclosure/lprTable.ts'

/** The part of RoomInfo the room page keeps; names and label filled from the participants when the body leaves them out. */
export type RoomFacts = Pick<RoomInfo, 'roomId' | 'title' | 'currency'> & {
  /** The original loan's terms, for before → after (checked again before use). */
  original: RoomInfo['original'] | null
  observerLabel: ObserverLabel
  /** This browser's side when it is an observer attached to a party (its badge says "borrower's financial advisor"). */
  observerSide?: ObserverSide
  /** Display names per role when the operator gave them or the person joined. */
  names: Partial<RoomInfo['names']>
  createdAt?: number
  /** The server's disclosure rules (its LPR table), so the room warns as the lock records; the defaults otherwise. */
  disclosureRules?: DisclosureRules
}

/** Who this browser is in the room. */
export interface Me {
  role: Role
  name: string
  observerLabel?: ObserverLabel
  observerSide?: ObserverSide
}

function str(x: unknown): string | undefined {
  return typeof x === 'string' && x ? x : undefined
}

export function observerLabelOf(x: unknown): ObserverLabel {
  return OBSERVER_LABELS.includes(x as ObserverLabel) ? (x as ObserverLabel) : 'mediator'
}

function disclosureRulesOf(x: unknown): DisclosureRules {
  const r = (x && typeof x === 'object' ? x : {}) as Partial<DisclosureRules>
  const lpr = parseLprTable(r.lpr)
  const multiple = typeof r.ceilingMultiple === 'string' && /^\d+(\.\d+)?$/.test(r.ceilingMultiple) ? r.ceilingMultiple : DEFAULT_DISCLOSURE_RULES.ceilingMultiple
  return {
    ...DEFAULT_DISCLOSURE_RULES,
    ceilingMultiple: multiple,
    ...(lpr.ok ? { lpr: lpr.table } : {}),
    ...(typeof r.warnUpfrontFee === 'boolean' ? { warnUpfrontFee: r.warnUpfrontFee } : {}),
  }
}

export function readRoomInfo(roomId: string, body: unknown): RoomFacts {
  // Read as a partial contract: a room page opened against an older server still shows what it can.
  const room = (body && typeof body === 'object' ? body : {}) as Partial<RoomInfo>
  const participants = Array.isArray(room.participants) ? room.participants : []
  const names: RoomFacts['names'] = {}
  for (const r of ['borrower', 'lender', 'observer'] as const) {
    const n = str(room.names?.[r]) ?? str(participants.find((p) => p?.role === r)?.name)
    if (n) names[r] = n
  }
  const info: RoomFacts = {
    roomId: str(room.roomId) ?? roomId,
    title: str(room.title) ?? '',
    currency: str(room.currency) ?? 'CNY',
    original: room.original && typeof room.original === 'object' ? room.original : null,
    observerLabel: observerLabelOf(room.observerLabel ?? participants.find((p) => p?.role === 'observer')?.label ?? room.you?.label),
    names,
    disclosureRules: disclosureRulesOf(room.disclosureRules),
  }
  if (typeof room.createdAt === 'number') info.createdAt = room.createdAt
  return info
}

/** Who this browser is in the room: from the server's `you` if it says, else from the token's claims. */
export function readMe(body: unknown, token: string): Me | null {
  const you = body && typeof body === 'object' ? (body as Partial<RoomInfo>).you : undefined
  const src: Record<string, unknown> = you && typeof you === 'object' ? you : (readTokenClaims(token) ?? {})
  const role = src.role
  if (role !== 'borrower' && role !== 'lender' && role !== 'observer') return null
  const me: Me = { role, name: str(src.name) ?? '' }
  const label = src.label ?? src.observerLabel
  if (label !== undefined) me.observerLabel = observerLabelOf(label)
  if (OBSERVER_SIDES.includes(src.side as ObserverSide)) me.observerSide = src.side as ObserverSide
  return me
}
