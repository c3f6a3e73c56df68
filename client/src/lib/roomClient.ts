// One negotiation room as the browser sees it: the shared document (DocConnection, mirrored as plain
// values by DocMirror), the socket.io channel (RoomSocket: state, chat, confirmations) and the notices
// the page shows. Plain TS, no DOM: the Svelte layer subscribes and mirrors what it needs.
import type * as Y from 'yjs'
import { WRITERS, writeMap, type RootName, type Scalar } from '../../../shared/document/roomDoc.ts'
import { ROLE_COLORS } from '../../../shared/protocol/awareness.ts'
import type { RoomState } from '../../../shared/protocol/index.ts'
import { ChatLog, type ChatItem } from './chatLog.ts'
import { connectionStatus, type ConnectionStatus } from './connectionStatus.ts'
import { DocConnection } from './docConnection.ts'
import { DocMirror } from './docMirror.ts'
import type { PayloadOf, Reply, RequestName } from './request.ts'
import type { Me } from './roomInfo.ts'
import { RoomSocket, type ClientSocket } from './roomSocket.ts'

// Components still import these two from here; their home is presence.ts.
export type { Presence, RemoteEdit } from './presence.ts'

export type Change = 'content' | 'presence' | 'state' | 'chat' | 'link' | 'notice' | 'doc'

export interface RoomClientOptions {
  roomId: string
  token: string
  me: Me
  /** Page origin, e.g. http://localhost:3000 */
  origin: string
  WebSocketPolyfill?: typeof WebSocket
  /** A socket.io socket already made (tests pass a fake); by default one is opened to `origin`. */
  socket?: ClientSocket
}

/** What the review dialog showed before a confirmation (the consent record's browser half). */
export interface ConsentShown {
  summaryLang: 'en' | 'zh'
  summaryHash: string
  shownAt: string
}

export type Notice =
  | { kind: 'restarted'; reason?: string }
  | { kind: 'stopped'; code: number; reason: string }
  | { kind: 'auth'; error: string }
  /** The room broke on the server and reopens (socket.io `room:error`); the links come back by themselves. */
  | { kind: 'broken' }
  /** The room is over a size quota since it was loaded: the proposal cannot change (room:state `readOnly`). */
  | { kind: 'readOnly' }
  /** Over a rate budget (4429): the link comes back by itself after this many seconds. */
  | { kind: 'waiting'; seconds: number }

type MapRoot = Exclude<RootName, 'clauses'>

export class RoomClient {
  readonly conn: DocConnection
  readonly channel: RoomSocket
  readonly mirror: DocMirror
  readonly chat: ChatLog
  synced = false
  everSynced = false
  state: RoomState | null = null
  browserOnline = typeof navigator === 'undefined' ? true : navigator.onLine
  notice: Notice | null = null
  stopped: { code: number; reason: string } | null = null
  /** Bumped each time the document is replaced (restart after a refused write). */
  docVersion = 0

  private listeners = new Set<(c: Change) => void>()
  private cleanup: (() => void)[] = []

  constructor(private opts: RoomClientOptions) {
    this.mirror = new DocMirror(
      (c) => this.emit(c),
      () => this.everSynced,
    )
    this.conn = new DocConnection(
      {
        serverUrl: `${opts.origin.replace(/^http/, 'ws')}/yjs`,
        roomId: opts.roomId,
        token: opts.token,
        awareness: { user: { name: opts.me.name, role: opts.me.role, color: ROLE_COLORS[opts.me.role] }, editing: null },
        ...(opts.WebSocketPolyfill ? { WebSocketPolyfill: opts.WebSocketPolyfill } : {}),
      },
      {
        doc: (doc, provider) => {
          this.mirror.bind(doc, provider.awareness)
          this.docVersion++
          this.emit('doc')
        },
        link: () => this.emit('link'),
        synced: (s) => {
          this.synced = s
          if (s) this.everSynced = true
          if (s && this.notice?.kind === 'waiting') this.show(null)
          this.emit('link')
        },
        restarted: (reason) => this.show({ kind: 'restarted', reason }),
        waiting: (ms) => this.show({ kind: 'waiting', seconds: Math.round(ms / 1000) }),
        stopped: (code, reason) => {
          this.stopped = { code, reason }
          this.show({ kind: 'stopped', code, reason })
          this.emit('link')
        },
      },
    )

    this.chat = new ChatLog({
      isConnected: () => this.socket.connected,
      send: (payload) => this.request('chat:send', payload),
    })
    this.chat.subscribe(() => this.emit('chat'))
    this.channel = new RoomSocket(
      { origin: opts.origin, token: opts.token, ...(opts.socket ? { socket: opts.socket } : {}) },
      {
        link: () => this.emit('link'),
        connected: () => this.chat.resendPending(),
        dropped: () => this.chat.disconnected(),
        refused: (error) => this.show({ kind: 'auth', error }),
        state: (st) => {
          if (st.readOnly && !this.state?.readOnly) this.show({ kind: 'readOnly' })
          this.state = st
          this.emit('state')
        },
        history: (items) => this.chat.history(items),
        message: (m) => this.chat.message(m),
        event: (line) => this.chat.event(line),
        broken: () => this.show({ kind: 'broken' }),
      },
    )

    if (typeof window !== 'undefined') {
      const online = () => {
        this.browserOnline = navigator.onLine
        this.emit('link')
      }
      window.addEventListener('online', online)
      window.addEventListener('offline', online)
      this.cleanup.push(() => {
        window.removeEventListener('online', online)
        window.removeEventListener('offline', online)
      })
    }
  }

  get me(): Me {
    return this.opts.me
  }

  get doc(): Y.Doc {
    return this.conn.doc
  }

  get socket(): ClientSocket {
    return this.channel.socket
  }

  on(listener: (c: Change) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  private emit(c: Change): void {
    for (const l of this.listeners) l(c)
  }

  private show(notice: Notice | null): void {
    this.notice = notice
    this.emit('notice')
  }

  get status(): ConnectionStatus {
    return connectionStatus({
      doc: this.conn.link,
      chat: this.channel.link,
      browserOnline: this.browserOnline,
      stopped: this.stopped !== null,
    })
  }

  get locked(): boolean {
    return this.state?.phase === 'locked'
  }

  /** Whether this person may write a root type now (mirrors the server; the server enforces). */
  canWrite(root: RootName): boolean {
    // A pause counts until the server says it ended (a screen's clock may run ahead of the server's).
    if (this.locked || this.stopped || this.state?.readOnly || this.state?.pause) return false
    return WRITERS[root].includes(this.opts.me.role)
  }

  setTerms(values: Record<string, Scalar | undefined>): void {
    this.write('terms', values)
  }

  setProfile(values: Record<string, Scalar | undefined>): void {
    this.write('profile', values)
  }

  /** The debt being restructured: the lender only, and only while no confirmation stands (the UI checks both). */
  setBaseline(values: Record<string, Scalar | undefined>): void {
    this.write('baseline', values)
  }

  setWaivers(values: Record<string, Scalar | undefined>): void {
    this.write('waivers', values)
  }

  setCommitments(values: Record<string, Scalar | undefined>): void {
    this.write('commitments', values)
  }

  private write(root: MapRoot, values: Record<string, Scalar | undefined>): void {
    if (this.canWrite(root)) writeMap(this.doc, root, values)
  }

  /** Tells the others which field we are editing (null when none). */
  setEditing(field: string | null): void {
    this.conn.setAwareness({ editing: field })
  }

  /** An acknowledged socket.io request; a timeout or a dropped link becomes an error value. */
  request<E extends RequestName>(event: E, payload: PayloadOf<E>, timeoutMs?: number): Promise<Reply<E>> {
    return this.channel.request(event, payload, timeoutMs)
  }

  chatItems(): ChatItem[] {
    const me = this.opts.me
    return this.chat.items((m) => m.role === me.role && m.name === me.name)
  }

  /**
   * Binds this person to `hash`. The consent fields say what they were shown: the review summary's language,
   * its SHA-256 (shared/agreement/summaryText.ts) and when it appeared (ISO 8601).
   */
  confirm(hash: string, fullName: string, consent?: ConsentShown): Promise<Reply<'confirm'>> {
    return this.request('confirm', { hash, fullName, ...consent })
  }

  withdraw(): Promise<Reply<'confirm:withdraw'>> {
    return this.request('confirm:withdraw', {})
  }

  /** Calls a cooling-off pause of `minutes` (2–30) with an optional reason. */
  pause(minutes: number, reason?: string): Promise<Reply<'pause:call'>> {
    return this.request('pause:call', reason ? { minutes, reason } : { minutes })
  }

  /** Ends the pause this person called. */
  endPause(): Promise<Reply<'pause:end'>> {
    return this.request('pause:end', {})
  }

  dismissNotice(): void {
    this.show(null)
  }

  destroy(): void {
    this.mirror.release()
    for (const c of this.cleanup) c()
    this.channel.destroy()
    this.conn.destroy()
    this.listeners.clear()
  }
}
