// One negotiation: the phase machine and the public API the transports, HTTP routes and the registry call.
// No sockets and no HTTP here (tldraw's TLSyncRoom vs TLSocketRoom): transports call these methods and send
// what the room hands to its listener. The jobs sit beside it, one noun per file: UpdateGate (who may write
// what), Confirmations (confirm, seal, withdraw), Presence, RoomLog (write, commit, snapshot, fail),
// ClusterSync (other processes, or SOLO) and eventViews.
//
// Every state change is decided synchronously, then written through the store; only once the write is
// committed is it broadcast or acknowledged (DESIGN.md: stored before broadcast).
import { randomUUID } from 'node:crypto'
import { Awareness } from 'y-protocols/awareness'
import * as Y from 'yjs'
import type { Agreement } from '../../shared/agreement/agreement.ts'
import { contentHashOfDoc } from '../../shared/content/contentHash.ts'
import { CHAT_HISTORY_LIMIT, type ChatMessage, type HistoryItem, type RoomEventLine } from '../../shared/protocol/chat.ts'
import type { AttachmentInfo, AttachmentPayload, AttachmentUploaded } from '../../shared/protocol/attachment.ts'
import { refuse, type Refusal } from '../../shared/protocol/errors.ts'
import type { EventType } from '../../shared/protocol/eventLog.ts'
import type { Actor, ActorRole, Participant, Phase, RoomState } from '../../shared/protocol/room.ts'
import { chatTextProblem } from '../../shared/schema/protocol.schema.ts'
import type { Ack, ChatSendPayload, ChatSendResult, ConfirmPayload, Rating, RatingPayload, RatingResult, StateResult } from '../../shared/protocol/socket.ts'
import type { ServerKey } from '../agreement/serverKey.ts'
import type { Fanout, RoomMessage } from '../cluster/Fanout.ts'
import type { Logger } from '../log.ts'
import type { AppendOptions, AppendResult, JsonPayload, LoadedRoom, NewEvent, RoomRecord, Store, StoredEvent } from '../store/Store.ts'
import { ClusterSync, SOLO, type RoomSync } from './ClusterSync.ts'
import { Confirmations, NO_CONTEXT, publicConfirmation, type ConfirmContext, type StandingConfirmation } from './Confirmations.ts'
import { toAttachmentInfo, toChatMessage, toEventLine } from './eventViews.ts'
import { guard } from './guard.ts'
import { Presence, type Identity } from './Presence.ts'
import type { PresenceTiming } from './PresenceLog.ts'
import { ratingsOf, toRating } from './ratings.ts'
import { RoomFault } from './RoomFault.ts'
import { RoomLog } from './RoomLog.ts'
import type { QuotaLimits } from './RoomQuotas.ts'
import { ROOT_KINDS, UpdateGate } from './UpdateGate.ts'

export type { Identity } from './Presence.ts'
export { REMOTE_ORIGIN } from './ClusterSync.ts'
export { SERVER_ACTOR } from './Confirmations.ts'
export { ROOT_KINDS } from './UpdateGate.ts'

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
  /** Signs the agreement at the lock (server/agreement/serverKey.ts); without it a room cannot lock. */
  serverKey?: ServerKey
  /** Other server processes append to this room too (REDIS_URL): publish commits, follow theirs. */
  cluster?: Fanout
  /** Size quotas (server/room/RoomQuotas.ts); DEFAULT_QUOTAS when not given. */
  quotas?: QuotaLimits
  /** How join/leave lines are debounced (server/room/PresenceLog.ts); without it every connection counts at once. */
  presence?: PresenceTiming
}

/** Log types the room reads in full when it loads (few per room): confirmations, the lock, ratings, amendments. */
const DECISION_TYPES = ['confirm', 'withdraw', 'cleared', 'lock', 'rating', 'amend'] as const

/** The update was applied in memory; `committed` settles once it is durable and broadcast (never rejects). */
export interface Accepted {
  ok: true
  applied: boolean
  committed: Promise<void>
}

export type UpdateResult = Accepted | Refusal

const SETTLED: Promise<void> = Promise.resolve()

export class Room {
  readonly doc: Y.Doc
  /** Yjs awareness (cursors, who is typing) relayed by the Yjs transport. */
  readonly awareness: Awareness
  phase: Phase
  agreementHash: string | undefined
  /** The signed agreement, once locked (the payload of the 'lock' event). */
  agreement: Agreement | undefined
  /** ms since epoch, once locked. */
  lockedAt: number | undefined
  /** One per party at most, in the order given. */
  readonly ratings: Rating[] = []
  /** Rooms opened to amend this room's agreement, oldest first. */
  readonly amendments: string[] = []

  // Collaborators, one job each (their files say which); they reach back through the members below.
  readonly store: Store
  readonly log: Logger
  readonly listener: RoomListener
  readonly serverKey: ServerKey | undefined
  readonly gate: UpdateGate
  readonly decisions: Confirmations
  readonly presence: Presence
  readonly sync: RoomSync
  private readonly roomLog: RoomLog

  private readonly stateDebounceMs: number
  /** Parties whose rating is being written (a second submit must not race the first). */
  private readonly rating = new Set<string>()
  private readonly chatHistory: ChatMessage[] = []
  private readonly eventHistory: RoomEventLine[] = []
  /** Every attachment logged in this room, by sha256 (loaded in full: the agreement lists them). */
  private readonly attachmentsBySha = new Map<string, AttachmentInfo>()
  private readonly attachmentsInFlight = new Map<string, Promise<Ack<AttachmentUploaded>>>()
  /** Sizes of attachments being recorded (they count against the quota before they are committed). */
  private readonly attachmentSizesInFlight = new Map<string, { size: number }>()
  private readonly chatInFlight = new Map<string, Promise<Ack<ChatSendResult>>>()
  private hash: string | null = null
  private lastPublished = ''
  private stateTimer: NodeJS.Timeout | null = null
  private disposed = false

  private constructor(
    readonly record: RoomRecord,
    options: RoomOptions,
  ) {
    this.store = options.store
    this.log = options.log
    this.listener = options.listener
    this.stateDebounceMs = options.stateDebounceMs ?? 100
    this.serverKey = options.serverKey
    this.phase = record.phase
    this.agreementHash = record.agreementHash
    this.doc = new Y.Doc()
    // Typed roots first, so that updates naming them integrate into a Y.Map / Y.Text.
    for (const [name, kind] of ROOT_KINDS) {
      if (kind === 'map') this.doc.getMap(name)
      else this.doc.getText(name)
    }
    this.awareness = new Awareness(this.doc)
    this.awareness.setLocalState(null)
    this.gate = new UpdateGate(this.doc)
    this.roomLog = new RoomLog({
      roomId: record.id,
      store: options.store,
      log: options.log,
      head: { seq: record.lastSeq, hash: record.lastHash, ts: record.lastActivity },
      snapshotEvery: options.snapshotEvery,
      committed: (results) => this.sync.committed(results),
      failed: (error) => this.listener.failed(this, error),
      snapshot: () => this.gate.snapshot(this.sync.snapshotSeq(this.lastSeq)),
    })
    this.decisions = new Confirmations(this)
    this.presence = new Presence(this, options.presence)
    this.sync = options.cluster ? new ClusterSync(this, options.cluster) : SOLO
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
    room.gate.limit(options.quotas)
    if (room.gate.quotas.overOnLoad) options.log.warn({ roomId: id, reason: room.gate.quotas.overOnLoad }, 'room is over a quota; it opens read-only')
    // Read after the load's snapshot of the log: with other processes appending, later events come through the follower.
    const upTo = (e: StoredEvent): boolean => e.seq <= loaded.record.lastSeq
    for (const e of await options.store.readEventsOfType(id, 'attachment')) if (upTo(e)) room.rememberAttachment(toAttachmentInfo(e))
    const decisions = (await Promise.all(DECISION_TYPES.map((t) => options.store.readEventsOfType(id, t)))).flat().filter(upTo)
    room.decisions.restore(decisions)
    room.ratings.push(...ratingsOf(decisions))
    for (const e of [...decisions].sort((a, b) => a.seq - b.seq)) {
      if (e.type === 'amend' && !(e.payload instanceof Uint8Array) && typeof e.payload.roomId === 'string') room.amendments.push(e.payload.roomId)
    }
    return room
  }

  private restore(loaded: LoadedRoom): void {
    this.gate.restore(loaded)
    if (this.doc.store.pendingStructs || this.doc.store.pendingDs) {
      this.log.error({ roomId: this.id }, 'stored updates leave missing dependencies; the log is damaged')
    }
    this.roomLog.updatesSinceSnapshot = loaded.updates.length
    for (const e of loaded.recentChat) this.chatHistory.push(toChatMessage(e))
    for (const e of loaded.recentSystem) {
      const line = toEventLine(e)
      if (line) this.eventHistory.push(line)
    }
    this.presence.restore(loaded.presence, this.record.meta.invites, this.sync.closesDanglingSessions)
  }

  // ---- the log head ----

  /** Highest committed seq. */
  get lastSeq(): number {
    return this.roomLog.head.seq
  }

  /** Hash of the event at lastSeq: the log head the agreement pins at the lock. */
  get lastHash(): string {
    return this.roomLog.head.hash
  }

  /** When lastSeq was written (ms since epoch). */
  get lastActivity(): number {
    return this.roomLog.head.ts
  }

  /** Set when a write failed, or an exception broke the room (a RoomFault); the room refuses everything from then on. */
  get broken(): Error | null {
    return this.roomLog.broken
  }

  /** Another process's committed event moves the head too. */
  advance(e: StoredEvent): void {
    this.roomLog.advance(e)
  }

  // ---- document ----

  /** The role that first wrote to the document with this Yjs client id (its awareness speaks for that role only). */
  writerRole(client: number): ActorRole | undefined {
    return this.gate.writerRole(client)
  }

  /**
   * Checks and applies one Yjs update from `actor`. The decision is synchronous, so updates are
   * judged in the order they arrive. Observers' and post-lock updates are refused without effect.
   */
  applyUpdate(actor: Actor, update: Uint8Array, origin: unknown = null): UpdateResult {
    const refused = guard(this, actor)
    if (refused) return refused
    const admitted = this.gate.admit(actor, update, origin, this.phase, this.confirmations.map((c) => c.role))
    if (!('effective' in admitted)) return admitted
    const { effective: applied, leftover } = admitted
    if (!applied) return leftover ?? { ok: true, applied: false, committed: SETTLED }

    const who: Actor = { role: actor.role, name: actor.name }
    const events: NewEvent[] = [{ actor: who, type: 'update', payload: applied }]
    // Any change of content clears every confirmation, in the same append as the change itself.
    const cleared = this.decisions.clear()
    if (cleared.length > 0) events.push({ actor: who, type: 'cleared', payload: { hash: cleared[0]!.hash, roles: cleared.map((c) => c.role) } })
    this.contentChanged()
    const committed = this.write(events).then(
      (results) => {
        this.countUpdate()
        this.listener.update(this, applied, origin)
        if (results.length > 1) {
          this.publishLine(results[1]!.event)
          this.publishState()
        } else this.scheduleState()
      },
      () => {},
    )
    return leftover ?? { ok: true, applied: true, committed }
  }

  /** Called synchronously after every accepted content change (applyUpdate has cleared the confirmations). */
  contentChanged(): void {
    this.hash = null
  }

  /** One more stored update since the last snapshot. */
  countUpdate(): void {
    this.roomLog.updatesSinceSnapshot++
  }

  /** SHA-256 of the agreed content (shared/document/contentHash.ts); always current. */
  get currentHash(): string {
    if (this.hash === null) this.hash = this.gate.quotas?.overOnLoad ? unhashedIfTooLarge(this.doc) : contentHashOfDoc(this.doc)
    return this.hash
  }

  // ---- chat ----

  /** Stores then broadcasts a chat line. Idempotent on clientId: a resend returns the stored message. */
  sendChat(actor: Actor, input: ChatSendPayload): Promise<Ack<ChatSendResult>> {
    const problem = chatTextProblem(input.text)
    if (problem) return Promise.resolve(refuse('invalid_payload', problem))
    const text = input.text.trim()
    const refused = guard(this, actor)
    if (refused) return Promise.resolve(refused)
    const inFlight = this.chatInFlight.get(input.clientId)
    if (inFlight) return inFlight.then((r) => (r.ok ? { ...r, duplicate: true } : r))

    const payload = { id: randomUUID(), clientId: input.clientId, text }
    const result = this.write([{ actor: { role: actor.role, name: actor.name }, type: 'chat', payload, clientId: input.clientId }]).then(
      ([r]): Ack<ChatSendResult> => {
        const message = toChatMessage(r!.event)
        if (!r!.duplicate) this.showChat(message)
        return { ok: true, message, duplicate: r!.duplicate }
      },
      () => refuse('storage_failure', 'the message could not be stored; send it again'),
    )
    this.chatInFlight.set(input.clientId, result)
    void result.then(() => this.chatInFlight.delete(input.clientId))
    return result
  }

  /** A committed chat message: kept for chat:history and sent. */
  showChat(message: ChatMessage): void {
    this.remember(this.chatHistory, message)
    this.listener.chat(this, message)
  }

  /** chat:history: the last chat messages and the system lines among them, by seq. */
  history(): HistoryItem[] {
    const first = this.chatHistory.length >= CHAT_HISTORY_LIMIT ? this.chatHistory[0]!.seq : 0
    const items: HistoryItem[] = [...this.chatHistory, ...this.eventHistory.filter((e) => e.seq >= first)]
    return items.sort((a, b) => a.seq - b.seq)
  }

  // ---- attachments ----

  /** The room's evidence in upload order (each sha256 once); the lock lists these in the agreement. */
  get attachments(): AttachmentInfo[] {
    return [...this.attachmentsBySha.values()].map((a) => ({ ...a, uploadedBy: { ...a.uploadedBy } }))
  }

  /**
   * Logs an attachment whose bytes are already stored, then publishes it as a room:event line.
   * Allowed after the lock too (follow-up evidence; the agreement keeps the list it was signed with).
   * The same bytes twice answer the first record (`duplicate`), nothing is logged again.
   */
  addAttachment(actor: Actor, record: AttachmentPayload): Promise<Ack<AttachmentUploaded>> {
    const refused = guard(this, actor, { party: 'only the borrower and the lender add attachments' })
    if (refused) return Promise.resolve(refused)
    const known = this.attachmentsBySha.get(record.sha256)
    if (known) return Promise.resolve({ ok: true, attachment: { ...known }, duplicate: true })
    const inFlight = this.attachmentsInFlight.get(record.sha256)
    if (inFlight) return inFlight.then((r) => (r.ok ? { ...r, duplicate: true } : r))
    const overQuota = this.attachmentRefusal(record.sha256, record.size)
    if (overQuota) return Promise.resolve(overQuota)

    const payload: AttachmentPayload = { sha256: record.sha256, size: record.size, mediaType: record.mediaType, name: record.name }
    const result = this.write([{ actor: { role: actor.role, name: actor.name }, type: 'attachment', payload: { ...payload } }]).then(
      ([r]): Ack<AttachmentUploaded> => {
        const info = toAttachmentInfo(r!.event)
        this.rememberAttachment(info)
        this.publishLine(r!.event)
        return { ok: true, attachment: { ...info }, duplicate: false }
      },
      () => refuse('storage_failure', 'the attachment could not be recorded; upload it again'),
    )
    this.attachmentsInFlight.set(record.sha256, result)
    this.attachmentSizesInFlight.set(record.sha256, { size: record.size })
    void result.then(() => {
      this.attachmentsInFlight.delete(record.sha256)
      this.attachmentSizesInFlight.delete(record.sha256)
    })
    return result
  }

  /** Null when an attachment of these bytes fits the room's quota (the same bytes again always do: nothing is added). */
  attachmentRefusal(sha256: string, size: number): Refusal | null {
    if (this.attachmentsBySha.has(sha256) || this.attachmentsInFlight.has(sha256)) return null
    return this.gate.quotas.checkAttachment([...this.attachmentsBySha.values(), ...this.attachmentSizesInFlight.values()], size)
  }

  rememberAttachment(a: AttachmentInfo): void {
    if (!this.attachmentsBySha.has(a.sha256)) this.attachmentsBySha.set(a.sha256, a)
  }

  // ---- confirmation and lock (Confirmations.ts) ----

  /** The standing confirmations, in the order they were given; any change of content clears them. */
  get confirmations(): StandingConfirmation[] {
    return this.decisions.standing
  }

  confirm(actor: Actor, input: ConfirmPayload, context: ConfirmContext = NO_CONTEXT): Promise<Ack<StateResult>> {
    return this.decisions.confirm(actor, input, context)
  }

  withdraw(actor: Actor): Promise<Ack<StateResult>> {
    return this.decisions.withdraw(actor)
  }

  // ---- after the agreement: ratings and amendments ----

  /** A party rates the session once (1..5 stars, an optional comment); observers do not. */
  rate(actor: Actor, input: RatingPayload): Promise<Ack<RatingResult>> {
    const refused = guard(this, actor, { party: 'only the borrower and the lender rate the session' })
    if (refused) return Promise.resolve(refused)
    const role = actor.role
    if (this.rating.has(role) || this.ratings.some((r) => r.role === role)) {
      return Promise.resolve(refuse('already_rated', 'you have rated this session already'))
    }
    this.rating.add(role)
    const payload = { stars: input.stars, comment: (input.comment ?? '').trim() }
    return this.write([{ actor: { role, name: actor.name }, type: 'rating', payload }]).then(
      ([r]): Ack<RatingResult> => {
        this.rating.delete(role)
        const rating = toRating(r!.event)!
        this.ratings.push(rating)
        this.publishLine(r!.event)
        this.publishState()
        return { ok: true, rating }
      },
      () => {
        this.rating.delete(role)
        return refuse('storage_failure', 'the rating could not be stored; send it again')
      },
    )
  }

  /** Logs that an amendment room was opened from this (locked) room's agreement. */
  recordAmendment(actor: Actor, roomId: string): Promise<void> {
    return this.write([{ actor: { role: actor.role, name: actor.name }, type: 'amend', payload: { roomId } }]).then(([r]) => {
      this.amendments.push(roomId)
      this.publishLine(r!.event)
    })
  }

  /** Logs the operator's revocation of invites; every process's line closes the revoked connections (server/auth/TokenWatch.ts). */
  recordRevocation(actor: Actor, payload: JsonPayload): Promise<void> {
    return this.write([{ actor, type: 'invites_revoked', payload }]).then(([r]) => this.publishLine(r!.event))
  }

  // ---- presence (Presence.ts) ----

  join(identity: Identity, connectionId: string): Promise<void> {
    return this.presence.join(identity, connectionId)
  }

  leave(connectionId: string): Promise<void> {
    return this.presence.leave(connectionId)
  }

  settlePresence(): Promise<void> {
    return this.presence.settle()
  }

  get connectionCount(): number {
    return this.presence.connectionCount
  }

  get participants(): Participant[] {
    return this.presence.participants
  }

  // ---- other server processes (ClusterSync.ts) ----

  receive(m: RoomMessage): void {
    this.sync.receive(m)
  }

  publishPresence(ask: boolean): void {
    this.sync.publishPresence(ask)
  }

  catchUp(): Promise<void> {
    return this.sync.catchUp()
  }

  nodeLost(node: string): void {
    this.sync.nodeLost(node)
  }

  onlineElsewhere(key: string): boolean {
    return this.sync.onlineElsewhere(key)
  }

  presenceTurn(): number {
    return this.sync.presenceTurn()
  }

  // ---- room:state ----

  get state(): RoomState {
    const s: RoomState = {
      phase: this.phase,
      currentHash: this.currentHash,
      confirmations: this.confirmations.map(publicConfirmation),
      participants: this.participants,
    }
    if (this.agreementHash) s.agreementHash = this.agreementHash
    if (this.lockedAt !== undefined) s.lockedAt = this.lockedAt
    if (this.ratings.length > 0) s.ratedBy = this.ratings.map((r) => r.role)
    if (this.gate.quotas.overOnLoad) s.readOnly = this.gate.quotas.overOnLoad
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
    let state: RoomState
    try {
      state = this.state
    } catch (err) {
      // Called from timers and commit callbacks, where nothing else would catch it (the hash of a huge document).
      this.breakDown(err, 'room state')
      return
    }
    const fingerprint = JSON.stringify(state)
    if (fingerprint === this.lastPublished) return
    this.lastPublished = fingerprint
    this.listener.state(this, state)
  }

  /** Coalesces hash recomputation while someone types. */
  scheduleState(): void {
    if (this.stateTimer || this.disposed) return
    this.stateTimer = setTimeout(() => {
      this.stateTimer = null
      this.publishState()
    }, this.stateDebounceMs)
  }

  // ---- writes (RoomLog.ts) ----

  /** Appends events through the store, in call order; a failure breaks the room. */
  write(events: NewEvent[], options?: AppendOptions, refusable = false): Promise<AppendResult[]> {
    return this.roomLog.write(events, options, refusable)
  }

  /** Writes a system line (join, leave, cleared…) and publishes it. */
  logSystem(actor: Actor, type: EventType, payload: JsonPayload, options?: AppendOptions): Promise<void> {
    return this.write([{ actor, type, payload }], options).then(
      ([r]) => {
        this.publishLine(r!.event)
        this.publishState()
      },
      () => {},
    )
  }

  /** Shows a committed system event as a room:event line (for the types that have one). */
  publishLine(e: StoredEvent): void {
    const line = toEventLine(e)
    if (!line) return
    this.remember(this.eventHistory, line)
    this.listener.event(this, line)
  }

  /**
   * An exception inside this room's handling: the room's state is unknown, so it is marked broken and dropped like
   * after a storage failure (its members are told, the next load retries); other rooms go on.
   */
  breakDown(err: unknown, where: string): RoomFault {
    const fault = err instanceof RoomFault ? err : new RoomFault(this.id, where, err)
    this.roomLog.fail(fault)
    return fault
  }

  /** Runs `fn` once every write started so far is committed (at once when none is pending). */
  afterCommitted(fn: () => void): void {
    this.roomLog.afterCommitted(fn)
  }

  get pendingWrites(): number {
    return this.roomLog.pending
  }

  get idle(): boolean {
    return this.roomLog.pending === 0
  }

  whenIdle(): Promise<void> {
    return this.roomLog.whenIdle()
  }

  /** Writes a load-cache snapshot of the committed document (only when no write is pending). */
  snapshot(): Promise<void> {
    return this.roomLog.snapshot()
  }

  /** Frees timers, awareness and the document (Hocuspocus #1156: leaked intervals kept rooms alive). */
  dispose(): void {
    if (this.disposed) return
    this.disposed = true
    this.roomLog.stop()
    this.sync.stop()
    this.presence.dispose()
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

/**
 * The hash of a room loaded over its quota (read-only). A document stored before quotas existed may be too large
 * to serialise (V8's string limit): it then has no hash (''), which no confirmation matches, and still opens.
 */
function unhashedIfTooLarge(doc: Y.Doc): string {
  try {
    return contentHashOfDoc(doc)
  } catch (err) {
    if (err instanceof RangeError) return ''
    throw err
  }
}
