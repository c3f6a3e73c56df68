// socket.io events (DESIGN.md "Transports"). Every client → server event has an ack.
import type { ChatMessage, HistoryItem, RoomEventLine } from './chat.ts'
import type { Refusal } from './errors.ts'
import type { RoomState } from './room.ts'

export interface ChatSendPayload {
  /** Chosen by the client; a resend with the same clientId returns the stored message. */
  clientId: string
  text: string
}

export interface ConfirmPayload {
  hash: string
  fullName: string
}

export type WithdrawPayload = Record<string, never>

export type Ack<T extends object = object> = ({ ok: true } & T) | Refusal

export type ChatSendResult = { message: ChatMessage; duplicate: boolean }
export type StateResult = { state: RoomState }

export interface ClientToServerEvents {
  'chat:send': (payload: ChatSendPayload, ack: (a: Ack<ChatSendResult>) => void) => void
  confirm: (payload: ConfirmPayload, ack: (a: Ack<StateResult>) => void) => void
  'confirm:withdraw': (payload: WithdrawPayload, ack: (a: Ack<StateResult>) => void) => void
}

export interface ServerToClientEvents {
  'chat:history': (items: HistoryItem[]) => void
  'chat:message': (message: ChatMessage) => void
  'room:event': (line: RoomEventLine) => void
  'room:state': (state: RoomState) => void
}

/** Handshake: `io(url, { path: '/socket.io', auth: { token } })`. */
export interface HandshakeAuth {
  token: string
}
