// One negotiation room as the browser sees it: the shared document (y-websocket), the socket.io
// channel (state, chat, confirmations) and the room's static info. Plain TS, no DOM: the Svelte
// layer subscribes and mirrors what it needs.
import type * as Y from 'yjs'
import { io, type Socket } from 'socket.io-client'
import { ROOT, WRITERS, type Role, type RootName, type Scalar, type ScalarMap } from '../../../shared/document/roomDoc.ts'
import { ROLE_COLORS } from '../../../shared/protocol/awareness.ts'
import type { ClientToServerEvents, ServerToClientEvents } from '../../../shared/protocol/index.ts'
import { ChatLog, type ChatItem } from './chatLog.ts'
import { DocConnection } from './docConnection.ts'
import { connectionStatus, type ConnectionStatus, type LinkState } from './connectionStatus.ts'
import type { RoomState } from '../../../shared/protocol/index.ts'
import type { PayloadOf, Reply, RequestName } from './request.ts'
import { readRoomState } from './roomState.ts'

export interface Presence {
  clientId: number
  name: string
  role: Role
  color: string
  editing: string | null
  self: boolean
}

export interface RemoteEdit {
  name: string
  role: string
  color: string
  at: number
}

export type Change = 'content' | 'presence' | 'state' | 'chat' | 'link' | 'notice' | 'doc'

export interface Me {
  role: Role
  name: string
}

export interface RoomClientOptions {
  roomId: string
  token: string
  me: Me
  /** Page origin, e.g. http://localhost:3000 */
  origin: string
  WebSocketPolyfill?: typeof WebSocket
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

// The server sets presence colours from the role (shared with it so both show the same).
export { ROLE_COLORS }

const ACK_TIMEOUT_MS = 8000

export class RoomClient {
  readonly conn: DocConnection
  readonly socket: Socket<ServerToClientEvents, ClientToServerEvents>
  readonly chat: ChatLog
  terms: ScalarMap = {}
  profile: ScalarMap = {}
  baseline: ScalarMap = {}
  waivers: ScalarMap = {}
  commitments: ScalarMap = {}
  clauses = ''
  synced = false
  everSynced = false
  state: RoomState | null = null
  presence: Presence[] = []
  remoteEdits: Record<string, RemoteEdit> = {}
  chatLink: LinkState = 'connecting'
  browserOnline = typeof navigator === 'undefined' ? true : navigator.onLine
  notice: Notice | null = null
  stopped: { code: number; reason: string } | null = null
  /** Bumped each time the document is replaced (restart after a refused write). */
  docVersion = 0

  private listeners = new Set<(c: Change) => void>()
  private unbindDoc: (() => void) | null = null
  private cleanup: (() => void)[] = []

  constructor(private opts: RoomClientOptions) {
    const wsOrigin = opts.origin.replace(/^http/, 'ws')
    this.conn = new DocConnection(
      {
        serverUrl: `${wsOrigin}/yjs`,
        roomId: opts.roomId,
        token: opts.token,
        awareness: { user: { name: opts.me.name, role: opts.me.role, color: ROLE_COLORS[opts.me.role] }, editing: null },
        ...(opts.WebSocketPolyfill ? { WebSocketPolyfill: opts.WebSocketPolyfill } : {}),
      },
      {
        doc: (doc, provider) => {
          this.bindDoc(doc, provider.awareness)
          this.docVersion++
          this.emit('doc')
        },
        link: () => this.emit('link'),
        synced: (s) => {
          this.synced = s
          if (s) this.everSynced = true
          if (s && this.notice?.kind === 'waiting') {
            this.notice = null
            this.emit('notice')
          }
          this.emit('link')
        },
        restarted: (reason) => {
          this.notice = { kind: 'restarted', reason }
          this.emit('notice')
        },
        waiting: (ms) => {
          this.notice = { kind: 'waiting', seconds: Math.round(ms / 1000) }
          this.emit('notice')
        },
        stopped: (code, reason) => {
          this.stopped = { code, reason }
          this.notice = { kind: 'stopped', code, reason }
          this.emit('notice')
          this.emit('link')
        },
      },
    )

    this.socket = io(opts.origin, { path: '/socket.io', auth: { token: opts.token }, transports: ['websocket', 'polling'] })
    this.chat = new ChatLog({
      isConnected: () => this.socket.connected,
      send: (payload) => this.request('chat:send', payload),
    })
    this.chat.subscribe(() => this.emit('chat'))
    this.bindSocket()

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

  on(listener: (c: Change) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  private emit(c: Change): void {
    for (const l of this.listeners) l(c)
  }

  get status(): ConnectionStatus {
    return connectionStatus({
      doc: this.conn.link,
      chat: this.chatLink,
      browserOnline: this.browserOnline,
      stopped: this.stopped !== null,
    })
  }

  get locked(): boolean {
    return this.state?.phase === 'locked'
  }

  /** Whether this person may write a root type now (mirrors the server; the server enforces). */
  canWrite(root: RootName): boolean {
    if (this.locked || this.stopped || this.state?.readOnly) return false
    return WRITERS[root].includes(this.opts.me.role)
  }

  // --- document -----------------------------------------------------------------------------

  private bindDoc(doc: Y.Doc, awareness: import('y-protocols/awareness').Awareness): void {
    this.unbindDoc?.()
    const termsMap = doc.getMap<Scalar>(ROOT.terms)
    const profileMap = doc.getMap<Scalar>(ROOT.profile)
    const baselineMap = doc.getMap<Scalar>(ROOT.baseline)
    const waiversMap = doc.getMap<Scalar>(ROOT.waivers)
    const commitmentsMap = doc.getMap<Scalar>(ROOT.commitments)
    const text = doc.getText(ROOT.clauses)
    this.remoteEdits = {}

    // Unchanged maps keep their identity, so typing in the clauses does not recompute the schedule.
    const read = () => {
      this.terms = keepIfSame(this.terms, plain(termsMap))
      this.profile = keepIfSame(this.profile, plain(profileMap))
      this.baseline = keepIfSame(this.baseline, plain(baselineMap))
      this.waivers = keepIfSame(this.waivers, plain(waiversMap))
      this.commitments = keepIfSame(this.commitments, plain(commitmentsMap))
      this.clauses = text.toString()
    }
    read()

    const onMap = (prefix: string) => (event: Y.YMapEvent<Scalar>) => {
      if (!event.transaction.local && this.everSynced) {
        for (const key of event.keysChanged) {
          const who = this.authorOf(writerOf(event.target, key), awareness)
          if (who) this.remoteEdits = { ...this.remoteEdits, [`${prefix}${key}`]: { ...who, at: Date.now() } }
        }
      }
    }
    const onTerms = onMap('')
    const onProfile = onMap('profile.')
    const onBaseline = onMap('baseline.')
    const onWaivers = onMap('waivers.')
    const onCommitments = onMap('commitments.')
    const onText = (event: Y.YTextEvent) => {
      if (!event.transaction.local && this.everSynced) {
        const who = this.presence.find((p) => !p.self && p.editing === 'clauses') ?? null
        if (who) this.remoteEdits = { ...this.remoteEdits, clauses: { name: who.name, role: who.role, color: who.color, at: Date.now() } }
      }
    }
    const onAfter = () => {
      read()
      this.emit('content')
    }
    termsMap.observe(onTerms)
    profileMap.observe(onProfile)
    baselineMap.observe(onBaseline)
    waiversMap.observe(onWaivers)
    commitmentsMap.observe(onCommitments)
    text.observe(onText)
    doc.on('afterTransaction', onAfter)

    const onAwareness = () => {
      this.presence = readPresence(awareness, doc.clientID)
      this.emit('presence')
    }
    awareness.on('change', onAwareness)
    onAwareness()

    this.unbindDoc = () => {
      termsMap.unobserve(onTerms)
      profileMap.unobserve(onProfile)
      baselineMap.unobserve(onBaseline)
      waiversMap.unobserve(onWaivers)
      commitmentsMap.unobserve(onCommitments)
      text.unobserve(onText)
      doc.off('afterTransaction', onAfter)
      awareness.off('change', onAwareness)
    }
    this.emit('content')
  }

  /** The person whose client wrote a map entry, via the awareness state of that Yjs client. */
  private authorOf(clientId: number | null, awareness: import('y-protocols/awareness').Awareness): Omit<RemoteEdit, 'at'> | null {
    if (clientId === null) return null
    const st = awareness.getStates().get(clientId) as { user?: { name?: string; role?: string; color?: string } } | undefined
    if (st?.user?.name) return { name: st.user.name, role: st.user.role ?? '', color: st.user.color ?? '#555' }
    return null
  }

  setTerms(values: Record<string, Scalar | undefined>): void {
    this.writeMap('terms', values)
  }

  setProfile(values: Record<string, Scalar | undefined>): void {
    this.writeMap('profile', values)
  }

  /** The debt being restructured: the lender only, and only while no confirmation stands (the UI checks both). */
  setBaseline(values: Record<string, Scalar | undefined>): void {
    this.writeMap('baseline', values)
  }

  setWaivers(values: Record<string, Scalar | undefined>): void {
    this.writeMap('waivers', values)
  }

  setCommitments(values: Record<string, Scalar | undefined>): void {
    this.writeMap('commitments', values)
  }

  private writeMap(root: 'terms' | 'profile' | 'baseline' | 'waivers' | 'commitments', values: Record<string, Scalar | undefined>): void {
    if (!this.canWrite(root)) return
    const map = this.doc.getMap<Scalar>(root)
    this.doc.transact(() => {
      for (const [key, value] of Object.entries(values)) {
        if (value === undefined) {
          if (map.has(key)) map.delete(key)
        } else if (map.get(key) !== value) map.set(key, value)
      }
    })
  }

  /** Tells the others which field we are editing (null when none). */
  setEditing(field: string | null): void {
    this.conn.setAwareness({ editing: field })
  }

  // --- socket.io ----------------------------------------------------------------------------

  private bindSocket(): void {
    const s = this.socket
    s.on('connect', () => {
      this.chatLink = 'connected'
      this.emit('link')
      this.chat.resendPending()
    })
    s.on('disconnect', () => {
      this.chatLink = 'disconnected'
      this.chat.disconnected()
      this.emit('link')
    })
    let retry: ReturnType<typeof setTimeout> | undefined
    let attempts = 0
    s.on('connect', () => {
      attempts = 0
    })
    s.on('connect_error', (err: Error & { data?: { error?: unknown } }) => {
      this.chatLink = 'disconnected'
      const code = typeof err.data?.error === 'string' ? err.data.error : err.message
      if (code === 'unauthorized' || code === 'forbidden' || code === 'not_found' || code === 'token_expired' || code === 'revoked') {
        this.notice = { kind: 'auth', error: code }
        this.emit('notice')
      } else if (!s.active) {
        // A refusal by the server's middleware is not retried by socket.io itself: try again calmly.
        clearTimeout(retry)
        retry = setTimeout(() => s.connect(), Math.min(10_000, 500 * 2 ** attempts++))
      }
      this.emit('link')
    })
    this.cleanup.push(() => clearTimeout(retry))
    s.on('room:state', (x) => {
      const st = readRoomState(x)
      if (!st) return
      if (st.readOnly && !this.state?.readOnly) {
        this.notice = { kind: 'readOnly' }
        this.emit('notice')
      }
      this.state = st
      this.emit('state')
    })
    s.on('chat:history', (list) => {
      if (Array.isArray(list)) this.chat.history(list)
    })
    s.on('chat:message', (m) => {
      if (m && typeof m === 'object') this.chat.message(m)
    })
    s.on('room:error', (e) => {
      if (e?.error !== 'room_broken') return
      this.notice = { kind: 'broken' }
      this.emit('notice')
    })
    // The link expired or was revoked while connected: the server disconnects right after; say why (no retry helps).
    s.on('session:ended', (r) => {
      const code = typeof r?.error === 'string' ? r.error : 'unauthorized'
      this.notice = { kind: 'auth', error: code }
      this.emit('notice')
    })
    s.on('room:event', (e) => {
      if (typeof e?.type === 'string') this.chat.event(e)
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

  dismissNotice(): void {
    this.notice = null
    this.emit('notice')
  }

  destroy(): void {
    this.unbindDoc?.()
    for (const c of this.cleanup) c()
    this.socket.disconnect()
    this.conn.destroy()
    this.listeners.clear()
  }
}

function plain(map: Y.Map<Scalar>): ScalarMap {
  const out: ScalarMap = {}
  map.forEach((v, k) => {
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[k] = v
  })
  return out
}

function keepIfSame(prev: ScalarMap, next: ScalarMap): ScalarMap {
  const a = Object.keys(prev)
  const b = Object.keys(next)
  if (a.length !== b.length) return next
  for (const k of b) if (prev[k] !== next[k]) return next
  return prev
}

/** The Yjs client id that wrote the current value of a map key. */
function writerOf(map: unknown, key: string): number | null {
  const item = (map as unknown as { _map: Map<string, { id: { client: number }; deleted: boolean }> })._map.get(key)
  return item ? item.id.client : null
}

function readPresence(awareness: import('y-protocols/awareness').Awareness, selfId: number): Presence[] {
  const out: Presence[] = []
  awareness.getStates().forEach((st, clientId) => {
    const s = st as { user?: { name?: unknown; role?: unknown; color?: unknown }; editing?: unknown }
    const role = s.user?.role
    if (role !== 'borrower' && role !== 'lender' && role !== 'observer') return
    out.push({
      clientId,
      name: typeof s.user?.name === 'string' ? s.user.name : '',
      role,
      color: typeof s.user?.color === 'string' ? s.user.color : ROLE_COLORS[role],
      editing: typeof s.editing === 'string' ? s.editing : null,
      self: clientId === selfId,
    })
  })
  const order = { borrower: 0, lender: 1, observer: 2 } as const
  return out.sort((a, b) => Number(b.self) - Number(a.self) || order[a.role] - order[b.role] || a.name.localeCompare(b.name))
}
