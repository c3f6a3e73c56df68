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
  /** Must equal room:state currentHash, else `stale_hash` (the ack carries the server's currentHash). */
  hash: string
  /** The full legal name typed when confirming (1..200 characters after trimming). */
  fullName: string
  /**
   * The consent record, all three or none: the language of the review summary shown, the SHA-256 of its text
   * (summaryHash(content, summaryLang, currency) of shared/agreement/summaryText.ts, else `summary_mismatch`),
   * and when it was shown (ms since epoch or an ISO 8601 instant). The server adds ip and user agent.
   */
  summaryLang?: 'en' | 'zh'
  summaryHash?: string
  shownAt?: number | string
}

export interface RatingPayload {
  /** 1..5 */
  stars: number
  /** Optional, at most 2000 characters. */
  comment?: string
}

export interface Rating {
  role: 'borrower' | 'lender'
  name: string
  stars: number
  comment: string
  /** ms since epoch */
  ts: number
}

export type WithdrawPayload = Record<string, never>

/** A pause lasts 2..30 whole minutes (issue 18); its reason is at most this many characters. */
export const PAUSE_MINUTES = { min: 2, max: 30 } as const
export const PAUSE_REASON_MAX = 500

/** pause:call: a cooling-off pause of PAUSE_MINUTES.min..max whole minutes, with an optional reason (≤ PAUSE_REASON_MAX). */
export interface PauseCallPayload {
  minutes: number
  reason?: string
}

/** pause:end: the caller of the pause lifts it before its time. */
export type PauseEndPayload = Record<string, never>

export type Ack<T extends object = object> = ({ ok: true } & T) | Refusal

export type ChatSendResult = { message: ChatMessage; duplicate: boolean }
export type StateResult = { state: RoomState }
/** The confirm ack on `stale_hash` also carries the server's hash: `{ok: false, error: 'stale_hash', message, currentHash}`. */
export type StaleHash = { ok: false; error: 'stale_hash'; message: string; currentHash: string }
export type RatingResult = { rating: Rating }

export interface ClientToServerEvents {
  'chat:send': (payload: ChatSendPayload, ack: (a: Ack<ChatSendResult>) => void) => void
  confirm: (payload: ConfirmPayload, ack: (a: Ack<StateResult>) => void) => void
  'confirm:withdraw': (payload: WithdrawPayload, ack: (a: Ack<StateResult>) => void) => void
  'rating:submit': (payload: RatingPayload, ack: (a: Ack<RatingResult>) => void) => void
  'pause:call': (payload: PauseCallPayload, ack: (a: Ack<StateResult>) => void) => void
  'pause:end': (payload: PauseEndPayload, ack: (a: Ack<StateResult>) => void) => void
}

export interface ServerToClientEvents {
  'chat:history': (items: HistoryItem[]) => void
  'chat:message': (message: ChatMessage) => void
  'room:event': (line: RoomEventLine) => void
  'room:state': (state: RoomState) => void
  /** The room broke on the server (`room_broken`) or could not store a change (`storage_failure`): it reloads; the socket reconnects. */
  'room:error': (error: { error: 'room_broken' | 'storage_failure'; message: string }) => void
  /** The token expired or was revoked while connected (`token_expired` / `revoked`); the server disconnects right after. */
  'session:ended': (reason: Refusal) => void
}

/** Handshake: `io(url, { path: '/socket.io', auth: { token } })`. */
export interface HandshakeAuth {
  token: string
}
