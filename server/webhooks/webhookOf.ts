// Which log events a webhook receiver hears about, and what it is told: one outbox message per event,
// built when the event is appended (in its transaction) so the body is fixed from then on. Pure: both
// stores call it, the SQLite writer possibly in its own thread.
import type { Phase, Role } from '../../shared/protocol/room.ts'
import type { Party, WebhookBody, WebhookRoomRef } from './events.ts'
import type { JsonPayload, StoredEvent } from '../store/Store.ts'

/** One row of the outbox, as the append writes it. */
export interface OutboxMessage {
  /** webhook-id: stable across retries and restarts, so receivers de-duplicate on it. */
  id: string
  roomId: string
  seq: number
  type: WebhookBody['type']
  /** The exact JSON text that is signed and sent. */
  body: string
  createdAt: number
}

/** Log types that cause a webhook; every other type (updates above all) is passed over at the cost of one lookup. */
export const WEBHOOK_SOURCES: ReadonlySet<string> = new Set(['create', 'confirm', 'lock', 'amend', 'rating'])

/** The stable id of an event's message: its room and seq (room ids are base64url, so never a '.' the signature scheme forbids). */
export function messageId(roomId: string, seq: number): string {
  return `msg_${roomId}_${seq}`
}

const str = (p: JsonPayload, k: string): string => (typeof p[k] === 'string' ? (p[k] as string) : '')

function parties(list: unknown): Party[] {
  if (!Array.isArray(list)) return []
  return list.flatMap((x: unknown) => {
    const o = x as { role?: unknown; name?: unknown; staff?: { staffId?: unknown; orgId?: unknown } } | null
    if (!o || typeof o.role !== 'string' || typeof o.name !== 'string') return []
    return [{ role: o.role as Role, name: o.name, ...staffOf(o.staff?.staffId, o.staff?.orgId) }]
  })
}

/** A staff member's ids, when the event or the agreement has them (a seat taken by a signed-in person). */
function staffOf(staffId: unknown, orgId: unknown): { staffId?: string; orgId?: string } {
  if (typeof staffId !== 'string') return {}
  return typeof orgId === 'string' ? { staffId, orgId } : { staffId }
}

function bodyOf(e: StoredEvent, p: JsonPayload, ref: WebhookRoomRef): WebhookBody | null {
  const timestamp = new Date(e.ts).toISOString()
  const party = e.actor.role === 'borrower' || e.actor.role === 'lender' ? e.actor.role : null
  switch (e.type) {
    case 'create': {
      const lenderInstitution = str(p, 'lenderInstitution')
      const amendmentOf = str(p, 'amendmentOf')
      return {
        type: 'room.created',
        timestamp,
        data: {
          ...ref,
          title: str(p, 'title'),
          currency: str(p, 'currency'),
          parties: parties(p.invites),
          ...(lenderInstitution ? { lenderInstitution } : {}),
          ...(amendmentOf ? { amendmentOf } : {}),
        },
      }
    }
    case 'confirm':
      // The consent record's address and browser stay in the log.
      if (!party) return null
      return {
        type: 'room.confirmed',
        timestamp,
        data: { ...ref, role: party, name: e.actor.name, fullName: str(p, 'fullName'), contentHash: str(p, 'hash'), ...staffOf(e.actor.staffId, e.actor.orgId) },
      }
    case 'lock': {
      const agreement = (p.agreement ?? {}) as { confirmations?: unknown }
      return {
        type: 'room.locked',
        timestamp,
        data: { ...ref, contentHash: str(p, 'contentHash'), agreementHash: str(p, 'agreementHash'), parties: parties(agreement.confirmations) },
      }
    }
    case 'amend':
      return { type: 'room.amended', timestamp, data: { ...ref, amendmentRoomId: str(p, 'roomId'), role: e.actor.role, name: e.actor.name } }
    case 'rating':
      if (!party || typeof p.stars !== 'number') return null
      return { type: 'room.rated', timestamp, data: { ...ref, role: party, name: e.actor.name, stars: p.stars } }
    default:
      return null
  }
}

/** The message an appended event causes, or null. `phase` is the room's phase just after the event. */
export function webhookOf(e: StoredEvent, phase: Phase | string): OutboxMessage | null {
  if (!WEBHOOK_SOURCES.has(e.type) || e.payload instanceof Uint8Array) return null
  const ref: WebhookRoomRef = { roomId: e.roomId, seq: e.seq, eventHash: e.hash, phase: phase as Phase }
  const body = bodyOf(e, e.payload, ref)
  if (!body) return null
  return { id: messageId(e.roomId, e.seq), roomId: e.roomId, seq: e.seq, type: body.type, body: JSON.stringify(body), createdAt: e.ts }
}
