// How stored events look to the transports: chat messages, room:event lines, attachment records.
import { EVENT_LINE_TYPES, type ChatMessage, type RoomEventLine } from '../../shared/protocol/chat.ts'
import type { AttachmentInfo, AttachmentPayload } from '../../shared/protocol/attachment.ts'
import type { JsonPayload, StoredEvent } from '../store/Store.ts'
import { lineParams } from './lineParams.ts'

export function toChatMessage(e: StoredEvent): ChatMessage {
  const p = e.payload as { id: string; clientId: string; text: string }
  return { kind: 'chat', id: p.id, seq: e.seq, ts: e.ts, role: e.actor.role, name: e.actor.name, text: p.text, clientId: p.clientId }
}

export function toAttachmentInfo(e: StoredEvent): AttachmentInfo {
  const p = e.payload as unknown as AttachmentPayload
  return { sha256: p.sha256, size: p.size, mediaType: p.mediaType, name: p.name, uploadedBy: { role: e.actor.role, name: e.actor.name }, seq: e.seq, ts: e.ts }
}

export function toEventLine(e: StoredEvent): RoomEventLine | null {
  const type = EVENT_LINE_TYPES[e.type]
  if (!type) return null
  return { kind: 'event', seq: e.seq, ts: e.ts, type, actor: e.actor, params: lineParams(e.type, e.payload as JsonPayload) }
}
