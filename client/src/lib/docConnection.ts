// The shared Yjs document of one room over y-websocket, with the close-code policy of DESIGN.md:
// a refused write (4403) means starting over from the server's copy with a fresh Y.Doc.
import * as Y from 'yjs'
import { WebsocketProvider } from 'y-websocket'
import { closeAction } from './closeCodes.ts'
import type { LinkState } from './connectionStatus.ts'

export interface DocConnectionOptions {
  /** ws(s)://host/yjs */
  serverUrl: string
  roomId: string
  token: string
  /** Local awareness state, kept across restarts. */
  awareness?: Record<string, unknown>
  WebSocketPolyfill?: typeof WebSocket
}

export interface DocConnectionListener {
  /** A new document (first start or restart): rebind everything that observed the old one. */
  doc?(doc: Y.Doc, provider: WebsocketProvider): void
  link?(state: LinkState): void
  synced?(synced: boolean): void
  /** Started over after the server refused a write. */
  restarted?(reason: string): void
  /** The server will not take this connection; no more retries. */
  stopped?(code: number, reason: string): void
  /** Over the server's rate limit: reconnecting (same document) after `ms`. */
  waiting?(ms: number, reason: string): void
}

const MAX_RESTARTS_PER_MINUTE = 3

export class DocConnection {
  doc!: Y.Doc
  provider!: WebsocketProvider
  link: LinkState = 'connecting'
  private restarts: number[] = []
  private awarenessState: Record<string, unknown>
  private destroyed = false

  constructor(
    private opts: DocConnectionOptions,
    private listener: DocConnectionListener = {},
  ) {
    this.awarenessState = opts.awareness ?? {}
    this.open()
  }

  private open(): void {
    const doc = new Y.Doc()
    const provider = new WebsocketProvider(this.opts.serverUrl, this.opts.roomId, doc, {
      params: { token: this.opts.token },
      // Tabs of different roles must not pass updates to each other behind the server's back.
      disableBc: true,
      shouldReconnect: (event: CloseEvent) => closeAction(event.code, event.reason).kind === 'retry',
      ...(this.opts.WebSocketPolyfill ? { WebSocketPolyfill: this.opts.WebSocketPolyfill } : {}),
    })
    provider.awareness.setLocalState({ ...this.awarenessState })
    provider.on('status', ({ status }) => {
      if (provider !== this.provider) return
      this.link = status
      this.listener.link?.(status)
    })
    provider.on('sync', (synced: boolean) => {
      if (provider !== this.provider) return
      this.listener.synced?.(synced)
    })
    provider.on('closed', ({ code, reason }) => {
      if (provider !== this.provider || this.destroyed) return
      const action = closeAction(code, reason)
      if (action.kind === 'restart') this.restart(action.reason)
      else if (action.kind === 'wait') this.resumeAfter(provider, action.ms, action.reason)
      else if (action.kind === 'stop') {
        this.link = 'disconnected'
        this.listener.stopped?.(action.code, action.reason)
      }
    })
    this.doc = doc
    this.provider = provider
    this.link = 'connecting'
    this.listener.doc?.(doc, provider)
  }

  /**
   * Reconnects after the server's retry delay, with jitter so a room's clients do not come back at once. The
   * same document stays: its sync step 2 carries the changes the server refused, in their causal order.
   */
  private resumeAfter(provider: WebsocketProvider, ms: number, reason: string): void {
    this.listener.waiting?.(ms, reason)
    setTimeout(() => {
      if (provider === this.provider && !this.destroyed) provider.connect()
    }, ms + Math.random() * 1000)
  }

  /** Drops the local document (its refused changes can never apply) and syncs a fresh one. */
  restart(reason: string): void {
    const now = Date.now()
    this.restarts = this.restarts.filter((t) => now - t < 60_000)
    if (this.restarts.length >= MAX_RESTARTS_PER_MINUTE) {
      this.teardown()
      this.link = 'disconnected'
      this.listener.stopped?.(4403, reason)
      return
    }
    this.restarts.push(now)
    this.teardown()
    this.open()
    this.listener.restarted?.(reason)
  }

  /** Merges into the local awareness state (who we are, which field we edit). */
  setAwareness(patch: Record<string, unknown>): void {
    this.awarenessState = { ...this.awarenessState, ...patch }
    if (this.destroyed) return
    const current = this.provider.awareness.getLocalState() ?? {}
    this.provider.awareness.setLocalState({ ...current, ...patch })
  }

  private teardown(): void {
    const { provider, doc } = this
    if (!provider) return
    provider.awareness.setLocalState(null)
    provider.destroy()
    doc.destroy()
  }

  destroy(): void {
    if (this.destroyed) return
    this.destroyed = true
    this.teardown()
  }
}
