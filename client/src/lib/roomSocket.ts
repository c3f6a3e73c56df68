// The socket.io channel of one room (state, chat, confirmations), typed by shared/protocol: its link,
// a calm retry after a refused handshake, payloads checked before they reach the UI, and
// acknowledged requests by event name.
import { io, type Socket } from 'socket.io-client'
import type { ChatMessage, ClientToServerEvents, HistoryItem, RoomEventLine, RoomState, ServerToClientEvents } from '../../../shared/protocol/index.ts'
import type { LinkState } from './connectionStatus.ts'
import type { PayloadOf, Reply, RequestName } from './request.ts'
import { readRoomState } from './roomState.ts'

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>

export interface RoomSocketOptions {
  /** Page origin, e.g. http://localhost:3000 */
  origin: string
  token: string
  /** A socket already made instead of a socket.io connection to `origin` (tests pass a fake). */
  socket?: ClientSocket
}

export interface RoomSocketListener {
  /** The link changed: connected, dropped, or a handshake failed. */
  link?(state: LinkState): void
  /** (Re)connected; called after `link`. */
  connected?(): void
  /** A link that was up dropped; called before `link`. */
  dropped?(): void
  /** The server refused this link at the handshake or ended it while connected (expired, revoked…): no retry helps. */
  refused?(error: string): void
  state?(state: RoomState): void
  history?(items: readonly HistoryItem[]): void
  message?(message: ChatMessage): void
  event?(line: RoomEventLine): void
  /** The room broke on the server and reopens; the links come back by themselves. */
  broken?(): void
}

const ACK_TIMEOUT_MS = 8000
const REFUSALS = new Set(['unauthorized', 'forbidden', 'not_found', 'token_expired', 'revoked'])

export class RoomSocket {
  readonly socket: ClientSocket
  link: LinkState = 'connecting'
  private retry: ReturnType<typeof setTimeout> | undefined
  private attempts = 0

  constructor(
    opts: RoomSocketOptions,
    private listener: RoomSocketListener = {},
  ) {
    this.socket = opts.socket ?? io(opts.origin, { path: '/socket.io', auth: { token: opts.token }, transports: ['websocket', 'polling'] })
    this.bindLink()
    this.bindRoom()
  }

  private bindLink(): void {
    const s = this.socket
    const l = this.listener
    s.on('connect', () => {
      this.attempts = 0
      this.link = 'connected'
      l.link?.('connected')
      l.connected?.()
    })
    s.on('disconnect', () => {
      this.link = 'disconnected'
      l.dropped?.()
      l.link?.('disconnected')
    })
    s.on('connect_error', (err: Error & { data?: { error?: unknown } }) => {
      this.link = 'disconnected'
      const code = typeof err.data?.error === 'string' ? err.data.error : err.message
      if (REFUSALS.has(code)) l.refused?.(code)
      else if (!s.active) {
        // A refusal by the server's middleware is not retried by socket.io itself: try again calmly.
        clearTimeout(this.retry)
        this.retry = setTimeout(() => s.connect(), Math.min(10_000, 500 * 2 ** this.attempts++))
      }
      l.link?.('disconnected')
    })
    // The link expired or was revoked while connected: the server disconnects right after; say why (no retry helps).
    s.on('session:ended', (r) => {
      l.refused?.(typeof r?.error === 'string' ? r.error : 'unauthorized')
    })
  }

  private bindRoom(): void {
    const s = this.socket
    const l = this.listener
    s.on('room:state', (x) => {
      const st = readRoomState(x)
      if (st) l.state?.(st)
    })
    s.on('chat:history', (list) => {
      if (Array.isArray(list)) l.history?.(list)
    })
    s.on('chat:message', (m) => {
      if (m && typeof m === 'object') l.message?.(m)
    })
    s.on('room:event', (e) => {
      if (typeof e?.type === 'string') l.event?.(e)
    })
    s.on('room:error', (e) => {
      if (e?.error === 'room_broken') l.broken?.()
    })
  }

  /** An acknowledged socket.io request; a timeout or a dropped link becomes an error value. */
  request<E extends RequestName>(event: E, payload: PayloadOf<E>, timeoutMs = ACK_TIMEOUT_MS): Promise<Reply<E>> {
    return new Promise((resolve) => {
      if (!this.socket.connected) {
        resolve({ ok: false, error: 'network' })
        return
      }
      // socket.io cannot follow a generic event name through emit's overloads: the signature above is the check.
      const timed = this.socket.timeout(timeoutMs)
      const emit = timed.emit as (e: E, p: PayloadOf<E>, ack: (err: Error | null, ack: unknown) => void) => void
      emit.call(timed, event, payload, (err, ack) => {
        if (err) resolve({ ok: false, error: 'timeout' })
        else if (ack && typeof ack === 'object' && 'ok' in ack) resolve(ack as Reply<E>)
        else resolve({ ok: false, error: 'invalid_payload', message: 'the server answered without an ack' } as Reply<E>)
      })
    })
  }

  destroy(): void {
    clearTimeout(this.retry)
    this.socket.disconnect()
  }
}
