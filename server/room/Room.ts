// One negotiation: the shared document, who may write what, presence, chat, phase.
// No sockets and no HTTP here (tldraw's TLSyncRoom vs TLSocketRoom): transports call these
// methods and send what the room hands to its listener.
//
// Every state change is decided synchronously, then written through the store; only once the
// write is committed is it broadcast or acknowledged (DESIGN.md: stored before broadcast).
import { randomUUID } from 'node:crypto'
import { Awareness } from 'y-protocols/awareness'
import * as Y from 'yjs'
import { contentHashOfDoc } from '../../shared/document/contentHash.ts'
import { ROOT, WRITERS, type RootName } from '../../shared/document/roomDoc.ts'
import {
  CHAT_HISTORY_LIMIT,
  CHAT_MAX_LENGTH,
  EVENT_LINE_TYPES,
  type ChatMessage,
  type HistoryItem,
  type RoomEventLine,
} from '../../shared/protocol/chat.ts'
import { refuse, type Refusal } from '../../shared/protocol/errors.ts'
import type { EventType } from '../../shared/protocol/eventLog.ts'
import type {
  Actor,
  ActorRole,
  Confirmation,
  ObserverLabel,
  Participant,
  Phase,
  Role,
  RoomState,
} from '../../shared/protocol/room.ts'
import type { Ack, ChatSendPayload, ChatSendResult, ConfirmPayload, StateResult } from '../../shared/protocol/socket.ts'
import type { Logger } from '../log.ts'
import type { AppendOptions, AppendResult, JsonPayload, LoadedRoom, NewEvent, RoomRecord, Store, StoredEvent } from '../store/Store.ts'
import { inspectUpdate, type RootKinds } from './inspectUpdate.ts'

/** Who is connected: the identity carried by their token. */
export interface Identity {
  role: Role
  name: string
  label?: ObserverLabel
}

/** What a room tells the transports; every call comes after the change is committed. */
export interface RoomListener {
  update(room: Room, update: Uint8Array, origin: unknown): void
  chat(room: Room, message: ChatMessage): void
  event(room: Room, line: RoomEventLine): void
  state(room: Room, state: RoomState): void
  /** A write failed: the room stops taking changes and must be dropped and reloaded. */
  failed(room: Room, error: Error): void
  /** Someone receives room:state for this room (else it is not computed; joiners get it fresh). */
  watching(room: Room): boolean
}

export interface RoomOptions {
  store: Store
  log: Logger
  listener: RoomListener
  /** Take a load-cache snapshot once this many updates are stored since the last one. */
  snapshotEvery: number
  /** Coalesce room:state after document changes (the hash is recomputed at most this often). */
  stateDebounceMs?: number
}

/** The update was applied in memory; `committed` settles once it is durable and broadcast (never rejects). */
export interface Accepted {
  ok: true
  applied: boolean
  committed: Promise<void>
}

export type UpdateResult = Accepted | Refusal

export const ROOT_KINDS: RootKinds = new Map(
  Object.values(ROOT).map((name) => [name, name === ROOT.clauses ? 'text' : 'map'] as const),
)

const SETTLED: Promise<void> = Promise.resolve()

interface PresenceEntry {
  identity: Identity
  connections: Set<string>
}

function presenceKey(role: string, name: string): string {
  return `${role}\u0000${name}`
}

export class Room {
  readonly doc: Y.Doc
  /** Yjs awareness (cursors, who is typing) relayed by the Yjs transport. */
  readonly awareness: Awareness
  phase: Phase
  confirmations: Confirmation[] = []
  agreementHash: string | undefined
  /** Highest committed seq, and when it was written (ms since epoch). */
  lastSeq: number
  lastActivity: number
  /** Set when a write failed; the room refuses everything from then on. */
  broken: Error | null = null

  private readonly store: Store
  private readonly log: Logger
  private readonly listener: RoomListener
  private readonly snapshotEvery: number
  private readonly stateDebounceMs: number
  /** Yjs client id → the role that first wrote with it (no one may write with another's client id). */
  private readonly owners = new Map<number, ActorRole>()
  private readonly presence = new Map<string, PresenceEntry>()
  private readonly connectionKeys = new Map<string, string>()
  private readonly chatHistory: ChatMessage[] = []
  private readonly eventHistory: RoomEventLine[] = []
  private readonly chatInFlight = new Map<string, Promise<Ack<ChatSendResult>>>()
  private hash: string | null = null
  private lastPublished = ''
  private stateTimer: NodeJS.Timeout | null = null
  private pendingWrites = 0
  private tail: Promise<void> = SETTLED
  private idleWaiters: (() => void)[] = []
  private updatesSinceSnapshot = 0
  private disposed = false

  private constructor(
    readonly record: RoomRecord,
    options: RoomOptions,
  ) {
    this.store = options.store
    this.log = options.log
    this.listener = options.listener
    this.snapshotEvery = options.snapshotEvery
    this.stateDebounceMs = options.stateDebounceMs ?? 100
    this.phase = record.phase
    this.agreementHash = record.agreementHash
    this.lastSeq = record.lastSeq
    this.lastActivity = record.lastActivity
    this.doc = new Y.Doc()
    // Typed roots first, so that updates naming them integrate into a Y.Map / Y.Text.
    for (const [name, kind] of ROOT_KINDS) {
      if (kind === 'map') this.doc.getMap(name)
      else this.doc.getText(name)
    }
    this.awareness = new Awareness(this.doc)
    this.awareness.setLocalState(null)
  }

  get id(): string {
    return this.record.id
  }

  /** Loads a room: latest snapshot + the updates after it, recent chat, who was there. */
  static async load(id: string, options: RoomOptions): Promise<Room | null> {
    const loaded = await options.store.loadRoom(id, CHAT_HISTORY_LIMIT)
    if (!loaded) return null
    const room = new Room(loaded.record, options)
    room.restore(loaded)
    return room
  }

  private restore(loaded: LoadedRoom): void {
    if (loaded.snapshot) {
      Y.applyUpdate(this.doc, loaded.snapshot.state)
      for (const [client, role] of Object.entries(loaded.snapshot.owners)) this.owners.set(Number(client), role)
    }
    this.doc.transact(() => {
      for (const e of loaded.updates) {
        const update = e.payload as Uint8Array
        Y.applyUpdate(this.doc, update)
        for (const client of Y.parseUpdateMeta(update).to.keys()) {
          if (!this.owners.has(client)) this.owners.set(client, e.actor.role)
        }
      }
    })
    if (this.doc.store.pendingStructs || this.doc.store.pendingDs) {
      this.log.error({ roomId: this.id }, 'stored updates leave missing dependencies; the log is damaged')
    }
    this.updatesSinceSnapshot = loaded.updates.length
    for (const e of loaded.recentChat) this.chatHistory.push(toChatMessage(e))
    for (const e of loaded.recentSystem) {
      const line = toEventLine(e)
      if (line) this.eventHistory.push(line)
    }
    const invites = this.record.meta.invites
    for (const p of loaded.presence) {
      if (p.role === 'system') continue
      const label = invites.find((i) => i.role === p.role && i.name === p.name)?.label
      const identity: Identity = { role: p.role, name: p.name, ...(label ? { label } : {}) }
      this.presence.set(presenceKey(p.role, p.name), { identity, connections: new Set() })
      // The server stopped while they were connected: close their session in the log.
      if (p.dangling) void this.logSystem({ role: p.role, name: p.name }, 'leave', { reason: 'server_restart' })
    }
  }

  // ---- document ----

  /**
   * Checks and applies one Yjs update from `actor`. The decision is synchronous, so updates are
   * judged in the order they arrive. Observers' and post-lock updates are refused without effect.
   */
  applyUpdate(actor: Actor, update: Uint8Array, origin: unknown = null): UpdateResult {
    if (this.broken) return refuse('storage_failure', 'the room is reloading after a storage failure')
    if (actor.role === 'observer') return refuse('read_only', 'observers cannot edit the proposal')
    if (actor.role === 'system') return refuse('forbidden_write', 'the server does not edit through updates')
    if (this.phase !== 'negotiating') return refuse('locked', 'the room is locked; the agreement cannot change')

    const inspection = inspectUpdate(this.doc, ROOT_KINDS, update)
    if (inspection.kind === 'invalid') return refuse('invalid_update', inspection.message)
    if (inspection.kind === 'missing') return refuse('missing_dependencies', inspection.message)
    if (inspection.kind === 'noop') return { ok: true, applied: false, committed: SETTLED }

    for (const root of inspection.roots) {
      const writers = WRITERS[root as RootName] as readonly string[] | undefined
      if (!writers) return refuse('forbidden_write', `"${root}" is not part of the proposal`)
      if (!writers.includes(actor.role)) return refuse('forbidden_write', `the ${actor.role} may not write ${root}`)
    }
    for (const client of inspection.clients) {
      const owner = this.owners.get(client)
      if (owner !== undefined && owner !== actor.role) {
        return refuse('forbidden_write', `client id ${client} belongs to the ${owner}`)
      }
    }

    let effective: Uint8Array | null = null
    const capture = (u: Uint8Array): void => {
      effective = u
    }
    this.doc.on('update', capture)
    try {
      Y.applyUpdate(this.doc, update, origin)
    } finally {
      this.doc.off('update', capture)
    }
    // The inspection rules out missing dependencies; a cycle between two client ids in one forged
    // update could still leave structs pending. Drop them: what did integrate was checked and is kept.
    let leftover: Refusal | null = null
    if (this.doc.store.pendingStructs || this.doc.store.pendingDs) {
      this.doc.store.pendingStructs = null
      this.doc.store.pendingDs = null
      leftover = refuse('invalid_update', 'the update has circular dependencies')
    }
    for (const client of inspection.clients) if (!this.owners.has(client)) this.owners.set(client, actor.role)
    const applied = effective as Uint8Array | null
    if (!applied) return leftover ?? { ok: true, applied: false, committed: SETTLED }

    this.contentChanged()
    const committed = this.write([{ actor: { role: actor.role, name: actor.name }, type: 'update', payload: applied }]).then(
      () => {
        this.updatesSinceSnapshot++
        this.listener.update(this, applied, origin)
        this.scheduleState()
      },
      () => {},
    )
    return leftover ?? { ok: true, applied: true, committed }
  }

  /**
   * Called synchronously after every accepted content change. The confirmation flow hooks here:
   * any change of content clears both confirmations (DESIGN.md "Confirmation and lock").
   */
  protected contentChanged(): void {
    this.hash = null
  }

  /** SHA-256 of the agreed content (shared/document/contentHash.ts); always current. */
  get currentHash(): string {
    if (this.hash === null) this.hash = contentHashOfDoc(this.doc)
    return this.hash
  }

  // ---- chat ----

  /** Stores then broadcasts a chat line. Idempotent on clientId: a resend returns the stored message. */
  sendChat(actor: Actor, input: ChatSendPayload): Promise<Ack<ChatSendResult>> {
    const text = input.text.trim()
    if (text.length === 0) return Promise.resolve(refuse('invalid_payload', 'text: must not be empty'))
    if ([...text].length > CHAT_MAX_LENGTH) return Promise.resolve(refuse('invalid_payload', `text: at most ${CHAT_MAX_LENGTH} characters`))
    if (this.broken) return Promise.resolve(refuse('storage_failure', 'the room is reloading after a storage failure'))
    const inFlight = this.chatInFlight.get(input.clientId)
    if (inFlight) return inFlight.then((r) => (r.ok ? { ...r, duplicate: true } : r))

    const payload = { id: randomUUID(), clientId: input.clientId, text }
    const result = this.write([{ actor: { role: actor.role, name: actor.name }, type: 'chat', payload, clientId: input.clientId }]).then(
      ([r]): Ack<ChatSendResult> => {
        const message = toChatMessage(r!.event)
        if (!r!.duplicate) {
          this.remember(this.chatHistory, message)
          this.listener.chat(this, message)
        }
        return { ok: true, message, duplicate: r!.duplicate }
      },
      () => refuse('storage_failure', 'the message could not be stored; send it again'),
    )
    this.chatInFlight.set(input.clientId, result)
    void result.then(() => this.chatInFlight.delete(input.clientId))
    return result
  }

  /** chat:history: the last chat messages and the system lines among them, by seq. */
  history(): HistoryItem[] {
    const first = this.chatHistory.length >= CHAT_HISTORY_LIMIT ? this.chatHistory[0]!.seq : 0
    const items: HistoryItem[] = [...this.chatHistory, ...this.eventHistory.filter((e) => e.seq >= first)]
    return items.sort((a, b) => a.seq - b.seq)
  }

  // ---- confirmation (the confirmation flow adds these) ----

  async confirm(_actor: Actor, _input: ConfirmPayload): Promise<Ack<StateResult>> {
    return refuse('not_implemented', 'confirmation is not available yet')
  }

  async withdraw(_actor: Actor): Promise<Ack<StateResult>> {
    return refuse('not_implemented', 'confirmation is not available yet')
  }

  // ---- presence ----

  /** A connection (Yjs or socket.io) opened; the first one of a participant logs a join. */
  join(identity: Identity, connectionId: string): Promise<void> {
    const key = presenceKey(identity.role, identity.name)
    let entry = this.presence.get(key)
    if (!entry) this.presence.set(key, (entry = { identity, connections: new Set() }))
    const wasOnline = entry.connections.size > 0
    entry.connections.add(connectionId)
    this.connectionKeys.set(connectionId, key)
    if (wasOnline || this.broken) return SETTLED
    return this.logSystem({ role: identity.role, name: identity.name }, 'join', {})
  }

  /** A connection closed; the last one of a participant logs a leave. */
  leave(connectionId: string): Promise<void> {
    const key = this.connectionKeys.get(connectionId)
    if (key === undefined) return SETTLED
    this.connectionKeys.delete(connectionId)
    const entry = this.presence.get(key)!
    entry.connections.delete(connectionId)
    if (entry.connections.size > 0 || this.broken || this.disposed) return SETTLED
    return this.logSystem({ role: entry.identity.role, name: entry.identity.name }, 'leave', {})
  }

  get connectionCount(): number {
    return this.connectionKeys.size
  }

  get participants(): Participant[] {
    return [...this.presence.values()].map(({ identity, connections }) => ({
      role: identity.role,
      name: identity.name,
      ...(identity.label ? { label: identity.label } : {}),
      online: connections.size > 0,
    }))
  }

  get state(): RoomState {
    const s: RoomState = {
      phase: this.phase,
      currentHash: this.currentHash,
      confirmations: this.confirmations.map((c) => ({ ...c })),
      participants: this.participants,
    }
    if (this.agreementHash) s.agreementHash = this.agreementHash
    return s
  }

  /** Sends room:state now if anything in it changed. */
  publishState(): void {
    if (this.stateTimer) {
      clearTimeout(this.stateTimer)
      this.stateTimer = null
    }
    if (this.disposed || this.broken) return
    if (!this.listener.watching(this)) {
      this.lastPublished = ''
      return
    }
    const state = this.state
    const fingerprint = JSON.stringify(state)
    if (fingerprint === this.lastPublished) return
    this.lastPublished = fingerprint
    this.listener.state(this, state)
  }

  /** Coalesces hash recomputation while someone types. */
  private scheduleState(): void {
    if (this.stateTimer || this.disposed) return
    this.stateTimer = setTimeout(() => {
      this.stateTimer = null
      this.publishState()
    }, this.stateDebounceMs)
  }

  // ---- writes ----

  /**
   * Appends events through the store (which keeps call order per room). A failure breaks the
   * room: nothing later may be written on top of a gap.
   */
  protected write(events: NewEvent[], options?: AppendOptions): Promise<AppendResult[]> {
    if (this.broken) return Promise.reject(this.broken)
    this.pendingWrites++
    const p = this.store.append(this.id, events, options)
    const settled = p.then(
      (results) => {
        for (const r of results) {
          if (r.duplicate || r.event.seq <= this.lastSeq) continue
          this.lastSeq = r.event.seq
          this.lastActivity = r.event.ts
        }
      },
      (err: unknown) => this.fail(err),
    )
    this.tail = settled.then(() => this.writeDone())
    return p
  }

  /** Writes a system line (join, leave, later confirm/withdraw/cleared/lock) and publishes it. */
  protected logSystem(actor: Actor, type: EventType, payload: JsonPayload, options?: AppendOptions): Promise<void> {
    return this.write([{ actor, type, payload }], options).then(
      ([r]) => {
        const line = toEventLine(r!.event)
        if (line) {
          this.remember(this.eventHistory, line)
          this.listener.event(this, line)
        }
        this.publishState()
      },
      () => {},
    )
  }

  private writeDone(): void {
    this.pendingWrites--
    if (this.pendingWrites > 0) return
    if (this.updatesSinceSnapshot >= this.snapshotEvery && !this.broken && !this.disposed) void this.snapshot()
    const waiters = this.idleWaiters
    this.idleWaiters = []
    for (const w of waiters) w()
  }

  private fail(err: unknown): void {
    if (this.broken) return
    this.broken = err instanceof Error ? err : new Error(String(err))
    this.log.error({ roomId: this.id, err: this.broken }, 'storage failure; the room will reload')
    this.listener.failed(this, this.broken)
  }

  /** Runs `fn` once every write started so far is committed (at once when none is pending). */
  afterCommitted(fn: () => void): void {
    if (this.pendingWrites === 0) fn()
    else void this.tail.then(fn)
  }

  get idle(): boolean {
    return this.pendingWrites === 0
  }

  whenIdle(): Promise<void> {
    if (this.pendingWrites === 0) return SETTLED
    return new Promise((resolve) => this.idleWaiters.push(resolve))
  }

  /** Writes a load-cache snapshot of the committed document (only when no write is pending). */
  async snapshot(): Promise<void> {
    if (this.pendingWrites > 0 || this.updatesSinceSnapshot === 0 || this.broken) return
    const snapshot = {
      seq: this.lastSeq,
      state: Y.encodeStateAsUpdate(this.doc),
      owners: Object.fromEntries([...this.owners].map(([c, r]) => [String(c), r])),
    }
    this.updatesSinceSnapshot = 0
    this.pendingWrites++
    try {
      await this.store.saveSnapshot(this.id, snapshot)
    } catch (err) {
      // Only a cache: loading replays the log instead.
      this.log.warn({ roomId: this.id, err }, 'snapshot failed')
    } finally {
      this.writeDone()
    }
  }

  /** Frees timers, awareness and the document (Hocuspocus #1156: leaked intervals kept rooms alive). */
  dispose(): void {
    if (this.disposed) return
    this.disposed = true
    if (this.stateTimer) clearTimeout(this.stateTimer)
    this.stateTimer = null
    this.awareness.destroy()
    this.doc.destroy()
  }

  get isDisposed(): boolean {
    return this.disposed
  }

  private remember<T>(list: T[], item: T): void {
    list.push(item)
    if (list.length > CHAT_HISTORY_LIMIT) list.splice(0, list.length - CHAT_HISTORY_LIMIT)
  }
}

export function toChatMessage(e: StoredEvent): ChatMessage {
  const p = e.payload as { id: string; clientId: string; text: string }
  return { kind: 'chat', id: p.id, seq: e.seq, ts: e.ts, role: e.actor.role, name: e.actor.name, text: p.text, clientId: p.clientId }
}

export function toEventLine(e: StoredEvent): RoomEventLine | null {
  const type = EVENT_LINE_TYPES[e.type]
  if (!type) return null
  return { kind: 'event', seq: e.seq, ts: e.ts, type, actor: e.actor, params: e.payload as JsonPayload }
}
