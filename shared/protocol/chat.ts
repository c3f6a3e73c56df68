// Chat lines and system lines (socket.io `chat:message`, `room:event`, `chat:history`).
import type { Actor, ActorRole } from './room.ts'

export const CHAT_MAX_LENGTH = 4000
export const CHAT_HISTORY_LIMIT = 200

export interface ChatMessage {
  kind: 'chat'
  id: string
  /** Position in the room's event log. */
  seq: number
  /** ms since epoch */
  ts: number
  role: ActorRole
  name: string
  text: string
  clientId: string
}

/**
 * System lines the client translates. Extend this list (and EVENT_LINE_TYPES) when a new
 * log type should show in the chat.
 */
export type RoomEventType = 'joined' | 'left' | 'confirmed' | 'withdrawn' | 'cleared' | 'locked' | 'attached' | 'amended' | 'rated' | 'revoked' | 'paused' | 'resumed' | 'observer_added' | 'observer_revoked'

export interface RoomEventLine {
  kind: 'event'
  seq: number
  ts: number
  type: RoomEventType
  actor: Actor
  params: Record<string, unknown>
}

/** chat:history holds both, ordered by seq; tell them apart by `kind`. */
export type HistoryItem = ChatMessage | RoomEventLine

/** Event-log type → system line type, for the log types that show in the chat. */
export const EVENT_LINE_TYPES: Readonly<Record<string, RoomEventType>> = {
  join: 'joined',
  leave: 'left',
  confirm: 'confirmed',
  withdraw: 'withdrawn',
  cleared: 'cleared',
  lock: 'locked',
  /** Evidence uploaded: params {sha256, size, mediaType, name}. */
  attachment: 'attached',
  /** An amendment room was opened from this locked room: params {roomId}. */
  amend: 'amended',
  /** A party rated the session: params {} (the stars and comment stay out of the chat). */
  rating: 'rated',
  /** The operator revoked invites: params {roles, generations} (every process closes the revoked connections on it). */
  invites_revoked: 'revoked',
  /** A cooling-off pause: params {minutes, reason?, startedAt, endsAt}. */
  paused: 'paused',
  /** The pause lifted: params {pausedSeq, endsAt, reason: 'expired' | 'ended'}. */
  resumed: 'resumed',
  /** An observer invite was added: params ObserverInfo {id, label, side, name, addedBy, addedAt}. */
  observer_added: 'observer_added',
  /** One observer's invite was revoked: params {observerId, label, side, name}. */
  observer_revoked: 'observer_revoked',
}
