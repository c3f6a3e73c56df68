// One negotiation: the phase machine and the public API the transports, HTTP routes and the registry call.
// No sockets and no HTTP here (tldraw's TLSyncRoom vs TLSocketRoom): transports call these methods and send
// what the room hands to its listener. The jobs sit beside it, one noun per file: UpdateGate (who may write
// what), Confirmations (confirm, seal, withdraw), CoolingOff (a pause that freezes both), Chat, Attachments, Ratings, Presence, StatePublisher (room:state),
// RoomLog (write, commit, snapshot, fail), ClusterSync (other processes, or SOLO) and eventViews; loadRoom opens one.
//
// Every state change is decided synchronously, then written through the store; only once the write is
// committed is it broadcast or acknowledged (DESIGN.md: stored before broadcast).
import { Awareness } from 'y-protocols/awareness'
import * as Y from 'yjs'
import type { Agreement } from '../../shared/agreement/agreement.ts'
import { readContent } from '../../shared/document/roomDoc.ts'
import type { HistoryItem } from '../../shared/protocol/chat.ts'
import type { AttachmentInfo, AttachmentPayload, AttachmentUploaded } from '../../shared/protocol/attachment.ts'
import type { Refusal } from '../../shared/protocol/errors.ts'
import type { EventType } from '../../shared/protocol/eventLog.ts'
import { actorOf, type Actor, type ActorRole, type Participant, type Phase, type RoomState } from '../../shared/protocol/room.ts'
import type { Ack, ChatSendPayload, ChatSendResult, ConfirmPayload, PauseCallPayload, Rating, RatingPayload, RatingResult, StateResult } from '../../shared/protocol/socket.ts'
import type { ServerKey } from '../agreement/serverKey.ts'
import { DEFAULT_DISCLOSURE_RULES, type DisclosureRules } from '../../shared/disclosure/disclosures.ts'
import type { Logger } from '../log.ts'
import type { AppendOptions, AppendResult, JsonPayload, LoadedRoom, NewEvent, RoomRecord, Store, StoredEvent } from '../store/Store.ts'
import { Attachments } from './Attachments.ts'
import { Chat } from './Chat.ts'
import { clearedPayload } from './clearedPayload.ts'
import { ClusterSync, SOLO, type RoomSync } from './ClusterSync.ts'
import { CoolingOff, DEFAULT_PAUSES } from './CoolingOff.ts'
import { Confirmations, NO_CONTEXT, type ConfirmContext, type StandingConfirmation } from './Confirmations.ts'
import { toEventLine } from './eventViews.ts'
import { guard } from './guard.ts'
import { observerLookup } from './observers.ts'
import { Presence, type Identity } from './Presence.ts'
import { Ratings } from './Ratings.ts'
import { RoomFault } from './RoomFault.ts'
import type { RoomListener } from './RoomListener.ts'
import { RoomLog } from './RoomLog.ts'
import type { RoomOptions } from './RoomSettings.ts'
import { StatePublisher } from './StatePublisher.ts'
import { ROOT_KINDS, UpdateGate } from './UpdateGate.ts'

export type { Identity } from './Presence.ts'
export { REMOTE_ORIGIN } from './ClusterSync.ts'
export { SERVER_ACTOR } from './Confirmations.ts'
export { ROOT_KINDS } from './UpdateGate.ts'

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
  /** Rooms opened to amend this room's agreement, oldest first. */
  readonly amendments: string[] = []

  // Collaborators, one job each (their files say which); they reach back through the members below.
  readonly store: Store
  readonly log: Logger
  readonly listener: RoomListener
  readonly serverKey: ServerKey | undefined
  readonly disclosureRules: DisclosureRules
  readonly gate: UpdateGate
  readonly decisions: Confirmations
  readonly presence: Presence
  readonly sync: RoomSync
  readonly chat: Chat
  /** The room's attachments. */
  readonly evidence: Attachments
  /** The parties' ratings of the session. */
  readonly feedback: Ratings
  /** A cooling-off pause that freezes the proposal and the confirmations. */
  readonly coolingOff: CoolingOff
  private readonly roomLog: RoomLog
  private readonly publisher: StatePublisher

  private hash: string | null = null
  private disposed = false

  /** Opened through loadRoom (loadRoom.ts), which restores it from the store. */
  constructor(
    readonly record: RoomRecord,
    options: RoomOptions,
  ) {
    this.store = options.store
    this.log = options.log
    this.listener = options.listener
    this.serverKey = options.serverKey
    this.disclosureRules = options.disclosureRules ?? DEFAULT_DISCLOSURE_RULES
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
    this.chat = new Chat(this)
    this.evidence = new Attachments(this)
    this.feedback = new Ratings(this)
    this.coolingOff = new CoolingOff(this, options.pauses ?? DEFAULT_PAUSES)
    this.publisher = new StatePublisher(this, options.stateDebounceMs ?? 100)
  }

  get id(): string {
    return this.record.id
  }

  /** The stored document, recent chat and who was there (loadRoom reads the rest). */
  restore(loaded: LoadedRoom): void {
    this.gate.restore(loaded)
    if (this.doc.store.pendingStructs || this.doc.store.pendingDs) {
      this.log.error({ roomId: this.id }, 'stored updates leave missing dependencies; the log is damaged')
    }
    this.roomLog.updatesSinceSnapshot = loaded.updates.length
    this.chat.restore(loaded.recentChat, loaded.recentSystem)
    this.presence.restore(loaded.presence, observerLookup(this.record.meta.invites, loaded.recentSystem), this.sync.closesDanglingSessions)
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
    // What the confirmations stood on, read only when there are some: the 'cleared' line says what changed.
    const before = this.confirmations.length > 0 ? readContent(this.doc) : null
    const admitted = this.gate.admit(actor, update, origin, this.phase, this.confirmations.map((c) => c.role), this.coolingOff.refusal())
    if (!('effective' in admitted)) return admitted
    const { effective: applied, leftover } = admitted
    if (!applied) return leftover ?? { ok: true, applied: false, committed: SETTLED }

    const who: Actor = actorOf(actor)
    const events: NewEvent[] = [{ actor: who, type: 'update', payload: applied }]
    // Any change of content clears every confirmation, in the same append as the change itself.
    const cleared = this.decisions.clear()
    if (cleared.length > 0) events.push({ actor: who, type: 'cleared', payload: clearedPayload(cleared, before, readContent(this.doc)) })
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

  /** SHA-256 of the agreed content (shared/content/contentHash.ts); always current. */
  get currentHash(): string {
    if (this.hash === null) this.hash = this.gate.contentHash()
    return this.hash
  }

  // ---- chat ----

  /** Stores then broadcasts a chat line. Idempotent on clientId: a resend returns the stored message. */
  sendChat(actor: Actor, input: ChatSendPayload): Promise<Ack<ChatSendResult>> {
    return this.chat.send(actor, input)
  }

  /** chat:history: the last chat messages and the system lines among them, by seq. */
  history(): HistoryItem[] {
    return this.chat.history()
  }

  // ---- attachments ----

  /** The room's evidence in upload order (each sha256 once); the lock lists these in the agreement. */
  get attachments(): AttachmentInfo[] {
    return this.evidence.list
  }

  /** Logs an attachment whose bytes are already stored (Attachments.add). */
  addAttachment(actor: Actor, record: AttachmentPayload): Promise<Ack<AttachmentUploaded>> {
    return this.evidence.add(actor, record)
  }

  /** Null when an attachment of these bytes fits the room's quota. */
  attachmentRefusal(sha256: string, size: number): Refusal | null {
    return this.evidence.refusal(sha256, size)
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

  // ---- cooling-off pause (CoolingOff.ts) ----

  /** pause:call: freezes the proposal and the confirmations for input.minutes; the chat stays open. */
  pause(actor: Actor, input: PauseCallPayload): Promise<Ack<StateResult>> {
    return this.coolingOff.call(actor, input)
  }

  /** pause:end: the caller of the pause lifts it early. */
  endPause(actor: Actor): Promise<Ack<StateResult>> {
    return this.coolingOff.end(actor)
  }

  // ---- after the agreement: ratings and amendments ----

  /** One per party at most, in the order given. */
  get ratings(): Rating[] {
    return this.feedback.list
  }

  /** A party rates the session once (1..5 stars, an optional comment); observers do not. */
  rate(actor: Actor, input: RatingPayload): Promise<Ack<RatingResult>> {
    return this.feedback.rate(actor, input)
  }

  /** Logs that an amendment room was opened from this (locked) room's agreement. */
  recordAmendment(actor: Actor, roomId: string): Promise<void> {
    return this.write([{ actor: actorOf(actor), type: 'amend', payload: { roomId } }]).then(([r]) => {
      this.amendments.push(roomId)
      this.publishLine(r!.event)
    })
  }

  /** Logs an observer invite added or one observer revoked; every process's 'observer_revoked' line closes that observer's connections. */
  recordObserver(actor: Actor, type: 'observer_added' | 'observer_revoked', payload: JsonPayload): Promise<void> {
    return this.write([{ actor, type, payload }]).then(([r]) => this.publishLine(r!.event))
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

  // ---- room:state ----

  get state(): RoomState {
    return this.publisher.state
  }

  /** Sends room:state now if anything in it changed. */
  publishState(): void {
    this.publisher.publish()
  }

  /** Coalesces hash recomputation while someone types. */
  scheduleState(): void {
    this.publisher.schedule()
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
    this.chat.keepLine(line)
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
    this.coolingOff.stop()
    this.presence.dispose()
    this.publisher.stop()
    this.awareness.destroy()
    this.doc.destroy()
  }

  get isDisposed(): boolean {
    return this.disposed
  }
}
