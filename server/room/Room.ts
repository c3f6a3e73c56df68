// One negotiation: the shared document, who may write what, presence, chat, phase.
// No sockets and no HTTP here (tldraw's TLSyncRoom vs TLSocketRoom): transports call these
// methods and send what the room hands to its listener.
//
// Every state change is decided synchronously, then written through the store; only once the
// write is committed is it broadcast or acknowledged (DESIGN.md: stored before broadcast).
import { randomUUID } from 'node:crypto'
import { fromBase64, toBase64 } from 'lib0/buffer'
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate } from 'y-protocols/awareness'
import * as Y from 'yjs'
import { agreementHash, type Agreement } from '../../shared/agreement/agreement.ts'
import { summaryHash } from '../../shared/agreement/summaryText.ts'
import { contentHashOfDoc } from '../../shared/document/contentHash.ts'
import { ROOT, WRITERS, readContent, type RootName } from '../../shared/document/roomDoc.ts'
import { validateContent } from '../../shared/document/validateContent.ts'
import { baselineWriteRefusal } from '../../shared/restructuring/baselineGuard.ts'
import {
  CHAT_HISTORY_LIMIT,
  CHAT_MAX_LENGTH,
  type ChatMessage,
  type HistoryItem,
  type RoomEventLine,
} from '../../shared/protocol/chat.ts'
import type { AttachmentInfo, AttachmentPayload, AttachmentUploaded } from '../../shared/protocol/attachment.ts'
import type { ClusterIdentity } from '../../shared/protocol/cluster.ts'
import { refuse, type Refusal } from '../../shared/protocol/errors.ts'
import type { EventType } from '../../shared/protocol/eventLog.ts'
import type {
  Actor,
  ActorRole,
  ObserverLabel,
  Participant,
  Phase,
  Role,
  RoomState,
} from '../../shared/protocol/room.ts'
import type {
  Ack,
  ChatSendPayload,
  ChatSendResult,
  ConfirmPayload,
  Rating,
  RatingPayload,
  RatingResult,
  StateResult,
} from '../../shared/protocol/socket.ts'
import { buildAgreement } from '../agreement/buildAgreement.ts'
import type { ServerKey } from '../agreement/serverKey.ts'
import type { Fanout, RoomMessage } from '../cluster/Fanout.ts'
import type { Logger } from '../log.ts'
import {
  AppendRefusedError,
  fromArchiveEvent,
  toArchiveEvent,
  type AppendOptions,
  type AppendResult,
  type JsonPayload,
  type LoadedRoom,
  type NewEvent,
  type RoomRecord,
  type Store,
  type StoredEvent,
} from '../store/Store.ts'
import {
  NO_CONTEXT,
  agreementConfirmation,
  confirmPayload,
  fromConfirmEvent,
  publicConfirmation,
  sameConfirmation,
  standingConfirmations,
  type ConfirmContext,
  type StandingConfirmation,
} from './confirmation.ts'
import { inspectUpdate, type RootKinds } from './inspectUpdate.ts'
import { toAttachmentInfo, toChatMessage, toEventLine } from './eventViews.ts'
import { LogFollower } from './LogFollower.ts'
import { IMMEDIATE_PRESENCE, PresenceLog, type PresenceTiming } from './PresenceLog.ts'
import { ratingsOf, toRating } from './ratings.ts'
import { RoomFault, roomBrokenRefusal } from './RoomFault.ts'
import { DEFAULT_QUOTAS, RoomQuotas, type QuotaLimits } from './RoomQuotas.ts'

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
  /** Signs the agreement at the lock (server/agreement/serverKey.ts); without it a room cannot lock. */
  serverKey?: ServerKey
  /** Other server processes append to this room too (REDIS_URL): publish commits, follow theirs. */
  cluster?: Fanout
  /** Size quotas (server/room/RoomQuotas.ts); DEFAULT_QUOTAS when not given. */
  quotas?: QuotaLimits
  /** How join/leave lines are debounced (server/room/PresenceLog.ts); without it every connection counts at once. */
  presence?: PresenceTiming
}

/** The origin of changes that another server process committed (never a local connection). */
export const REMOTE_ORIGIN: unique symbol = Symbol('remote')

/** The server itself, as the actor of the lock. */
export const SERVER_ACTOR: Actor = { role: 'system', name: 'server' }

/** Log types the room reads in full when it loads (few per room): confirmations, the lock, ratings, amendments. */
const DECISION_TYPES = ['confirm', 'withdraw', 'cleared', 'lock', 'rating', 'amend'] as const

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

/** With other processes, each waits its turn (by node id) before a presence line: the first one's is then read, not doubled. */
const PRESENCE_TURN_MS = 500

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
  /** The standing confirmations, in the order they were given; any change of content clears them. */
  confirmations: StandingConfirmation[] = []
  agreementHash: string | undefined
  /** The signed agreement, once locked (the payload of the 'lock' event). */
  agreement: Agreement | undefined
  /** ms since epoch, once locked. */
  lockedAt: number | undefined
  /** One per party at most, in the order given. */
  readonly ratings: Rating[] = []
  /** Rooms opened to amend this room's agreement, oldest first. */
  readonly amendments: string[] = []
  /** Highest committed seq, and when it was written (ms since epoch). */
  lastSeq: number
  /** Hash of the event at lastSeq: the log head the agreement pins at the lock. */
  lastHash: string
  lastActivity: number
  /** Set when a write failed, or an exception broke the room (a RoomFault); the room refuses everything from then on. */
  broken: Error | null = null
  /** Decides updates and attachments against the room's quotas (set once the stored document is loaded). */
  private quotas!: RoomQuotas
  /** Sizes of attachments being recorded (they count against the quota before they are committed). */
  private readonly attachmentSizesInFlight = new Map<string, { size: number }>()

  private readonly store: Store
  private readonly log: Logger
  private readonly listener: RoomListener
  private readonly snapshotEvery: number
  private readonly stateDebounceMs: number
  private readonly serverKey: ServerKey | undefined
  /** Parties whose rating is being written (a second submit must not race the first). */
  private readonly rating = new Set<string>()
  /** Yjs client id → the role that first wrote with it (no one may write with another's client id). */
  private readonly owners = new Map<number, ActorRole>()
  private readonly presence = new Map<string, PresenceEntry>()
  private readonly connectionKeys = new Map<string, string>()
  private readonly presenceLog: PresenceLog
  private readonly chatHistory: ChatMessage[] = []
  private readonly eventHistory: RoomEventLine[] = []
  /** Every attachment logged in this room, by sha256 (loaded in full: the agreement lists them). */
  private readonly attachmentsBySha = new Map<string, AttachmentInfo>()
  private readonly attachmentsInFlight = new Map<string, Promise<Ack<AttachmentUploaded>>>()
  private readonly chatInFlight = new Map<string, Promise<Ack<ChatSendResult>>>()
  private hash: string | null = null
  private lastPublished = ''
  private stateTimer: NodeJS.Timeout | null = null
  private pendingWrites = 0
  private tail: Promise<void> = SETTLED
  private idleWaiters: (() => void)[] = []
  private updatesSinceSnapshot = 0
  private disposed = false
  private readonly cluster: Fanout | undefined
  /** With a cluster: the log in seq order, other nodes' events applied as they come. */
  private readonly follower: LogFollower | null = null
  /** With a cluster: who is connected on each other node. */
  private readonly remoteOnline = new Map<string, ClusterIdentity[]>()
  /** Seq of each party's standing confirmation, and which of those seqs this node wrote (who locks a pair). */
  private readonly confirmSeq = new Map<string, number>()
  private readonly ownConfirmSeqs = new Set<number>()
  private locking = false

  private constructor(
    readonly record: RoomRecord,
    options: RoomOptions,
  ) {
    this.store = options.store
    this.log = options.log
    this.listener = options.listener
    this.snapshotEvery = options.snapshotEvery
    this.stateDebounceMs = options.stateDebounceMs ?? 100
    this.serverKey = options.serverKey
    this.presenceLog = new PresenceLog(options.presence ?? IMMEDIATE_PRESENCE)
    this.phase = record.phase
    this.agreementHash = record.agreementHash
    this.lastSeq = record.lastSeq
    this.lastHash = record.lastHash
    this.lastActivity = record.lastActivity
    this.doc = new Y.Doc()
    // Typed roots first, so that updates naming them integrate into a Y.Map / Y.Text.
    for (const [name, kind] of ROOT_KINDS) {
      if (kind === 'map') this.doc.getMap(name)
      else this.doc.getText(name)
    }
    this.awareness = new Awareness(this.doc)
    this.awareness.setLocalState(null)
    this.cluster = options.cluster
    if (this.cluster) {
      const cluster = this.cluster
      this.follower = new LogFollower({
        applied: record.lastSeq,
        apply: (e) => this.applyRemote(e),
        head: async () => (await this.store.getRoom(this.id))?.lastSeq ?? 0,
        read: (fromSeq, toSeq) => this.store.readEvents(this.id, { fromSeq, toSeq }),
        idle: () => this.whenIdle(),
        onError: (err) => this.log.error({ roomId: this.id, err }, 'could not follow the room log of other processes'),
      })
      // Awareness is never stored: what this node's connections say goes to the other nodes as it is.
      this.awareness.on('update', ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => {
        if (origin === REMOTE_ORIGIN || this.disposed) return
        const changed = [...added, ...updated, ...removed]
        if (changed.length === 0) return
        cluster.publish({ kind: 'awareness', node: cluster.nodeId, roomId: this.id, update: toBase64(encodeAwarenessUpdate(this.awareness, changed)) })
      })
    }
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
    room.quotas = new RoomQuotas(options.quotas ?? DEFAULT_QUOTAS, room.doc)
    if (room.quotas.overOnLoad) options.log.warn({ roomId: id, reason: room.quotas.overOnLoad }, 'room is over a quota; it opens read-only')
    // Read after the load's snapshot of the log: with other processes appending, later events come through the follower.
    const upTo = (e: StoredEvent): boolean => e.seq <= loaded.record.lastSeq
    for (const e of await options.store.readEventsOfType(id, 'attachment')) if (upTo(e)) room.rememberAttachment(toAttachmentInfo(e))
    const decisions = (await Promise.all(DECISION_TYPES.map((t) => options.store.readEventsOfType(id, t)))).flat().filter(upTo)
    room.restoreDecisions(decisions)
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
      if (p.dangling) this.presenceLog.saw(presenceKey(p.role, p.name), 'join', 0)
      // The server stopped while they were connected: close their session in the log. With other processes
      // the connection may well be open on one of them: a lost node's sessions are closed by nodeLost().
      if (p.dangling && !this.cluster) void this.logPresence(identity, 'leave', { reason: 'server_restart' })
    }
  }

  // ---- document ----

  /** The role that first wrote to the document with this Yjs client id (its awareness speaks for that role only). */
  writerRole(client: number): ActorRole | undefined {
    return this.owners.get(client)
  }

  /**
   * Checks and applies one Yjs update from `actor`. The decision is synchronous, so updates are
   * judged in the order they arrive. Observers' and post-lock updates are refused without effect.
   */
  applyUpdate(actor: Actor, update: Uint8Array, origin: unknown = null): UpdateResult {
    if (this.broken) return this.brokenRefusal()
    if (actor.role === 'observer') return refuse('read_only', 'observers cannot edit the proposal')
    if (actor.role === 'system') return refuse('forbidden_write', 'the server does not edit through updates')

    const inspection = inspectUpdate(this.doc, ROOT_KINDS, update)
    if (inspection.kind === 'invalid') return refuse('invalid_update', inspection.message)
    // After the lock nothing applies; a reconnecting client's sync that changes nothing is still fine.
    if (this.phase !== 'negotiating') {
      return inspection.kind === 'noop' ? { ok: true, applied: false, committed: SETTLED } : refuse('locked', 'the room is locked; the agreement cannot change')
    }
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
    const frozen = baselineWriteRefusal(inspection.roots, this.confirmations.map((c) => c.role))
    if (frozen) return refuse(frozen.code, frozen.message)
    // Before anything is applied or stored (issue #14: a document past V8's string limit crashed every join).
    const overQuota = this.quotas.checkUpdate(update, inspection.growth)
    if (overQuota) return overQuota

    const effective = applyCapturing(this.doc, update, origin)
    // The inspection rules out missing dependencies; a cycle between two client ids in one forged
    // update could still leave structs pending. Drop them: what did integrate was checked and is kept.
    let leftover: Refusal | null = null
    if (this.doc.store.pendingStructs || this.doc.store.pendingDs) {
      this.doc.store.pendingStructs = null
      this.doc.store.pendingDs = null
      leftover = refuse('invalid_update', 'the update has circular dependencies')
    }
    for (const client of inspection.clients) if (!this.owners.has(client)) this.owners.set(client, actor.role)
    const applied = effective
    if (!applied) return leftover ?? { ok: true, applied: false, committed: SETTLED }
    this.quotas.accepted(applied)

    const who: Actor = { role: actor.role, name: actor.name }
    const events: NewEvent[] = [{ actor: who, type: 'update', payload: applied }]
    // Any change of content clears every confirmation, in the same append as the change itself.
    const cleared = this.confirmations
    if (cleared.length > 0) {
      this.confirmations = []
      events.push({ actor: who, type: 'cleared', payload: { hash: cleared[0]!.hash, roles: cleared.map((c) => c.role) } })
    }
    this.contentChanged()
    const committed = this.write(events).then(
      (results) => {
        this.updatesSinceSnapshot++
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
  protected contentChanged(): void {
    this.hash = null
  }

  /** SHA-256 of the agreed content (shared/document/contentHash.ts); always current. */
  get currentHash(): string {
    if (this.hash === null) this.hash = this.quotas?.overOnLoad ? unhashedIfTooLarge(this.doc) : contentHashOfDoc(this.doc)
    return this.hash
  }

  // ---- chat ----

  /** Stores then broadcasts a chat line. Idempotent on clientId: a resend returns the stored message. */
  sendChat(actor: Actor, input: ChatSendPayload): Promise<Ack<ChatSendResult>> {
    const text = input.text.trim()
    if (text.length === 0) return Promise.resolve(refuse('invalid_payload', 'text: must not be empty'))
    if ([...text].length > CHAT_MAX_LENGTH) return Promise.resolve(refuse('invalid_payload', `text: at most ${CHAT_MAX_LENGTH} characters`))
    if (this.broken) return Promise.resolve(this.brokenRefusal())
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
    if (actor.role !== 'borrower' && actor.role !== 'lender') {
      return Promise.resolve(refuse('forbidden', 'only the borrower and the lender add attachments'))
    }
    if (this.broken) return Promise.resolve(this.brokenRefusal())
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
        const line = toEventLine(r!.event)
        if (line) {
          this.remember(this.eventHistory, line)
          this.listener.event(this, line)
        }
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
    return this.quotas.checkAttachment([...this.attachmentsBySha.values(), ...this.attachmentSizesInFlight.values()], size)
  }

  private rememberAttachment(a: AttachmentInfo): void {
    if (!this.attachmentsBySha.has(a.sha256)) this.attachmentsBySha.set(a.sha256, a)
  }

  // ---- confirmation and lock ----

  /**
   * Binds the party to `input.hash`, which must be the current hash of valid content. When the other party
   * stands confirmed on the same hash, the room locks in the same step: the decision (phase 'locked', the
   * signed agreement) is made synchronously, before anything is awaited, so an update that arrives after this
   * call is refused with `locked`, and one that arrived before it changed the hash (`stale_hash`). The
   * confirm and lock events are appended together, with the phase, in one store transaction.
   */
  confirm(actor: Actor, input: ConfirmPayload, context: ConfirmContext = NO_CONTEXT): Promise<Ack<StateResult>> {
    if (!this.follower) return Promise.resolve(this.decideConfirm(actor, input, context))
    // With other processes, decide on the whole log: nothing of ours in flight, no gap in theirs.
    return this.caughtUp().then(() => this.decideConfirm(actor, input, context))
  }

  /** Resolves once this node's writes are committed and no other node's event is missing (a few tries). */
  private async caughtUp(): Promise<void> {
    const follower = this.follower
    if (!follower) return
    for (let i = 0; i < 5 && (this.pendingWrites > 0 || follower.hasGap); i++) {
      await this.whenIdle()
      await follower.settled()
    }
  }

  /**
   * Signs the agreement for two standing confirmations of the current content and decides the lock
   * (phase, agreement) at once; the caller appends the returned event with the returned options.
   */
  private seal(
    first: StandingConfirmation,
    second: StandingConfirmation,
    content: ReturnType<typeof readContent>,
    now: number,
  ): { event: NewEvent; options: AppendOptions; revert: () => void } | Refusal {
    if (!this.serverKey) return refuse('unavailable', 'this server has no signing key; the room cannot lock')
    let agreement: Agreement
    try {
      agreement = buildAgreement(
        {
          roomId: this.id,
          title: this.record.title,
          currency: this.record.currency,
          lockedAt: now,
          content,
          confirmations: [agreementConfirmation(first), agreementConfirmation(second)],
          original: this.record.meta.original ?? null,
          logHead: { seq: this.lastSeq, hash: this.lastHash },
          attachments: this.attachments.map((a) => ({ name: a.name, sha256: a.sha256, size: a.size, mediaType: a.mediaType })),
        },
        this.serverKey,
      )
    } catch (err) {
      // The checks before guarantee its preconditions: this is a bug, and nothing changes.
      this.log.error({ roomId: this.id, err }, 'the agreement could not be built')
      return refuse('internal', 'the agreement could not be built; nothing was locked')
    }
    const hash = agreementHash(agreement)
    const contentHash = this.currentHash
    const before = { confirmations: this.confirmations, agreementHash: this.agreementHash, lockedAt: this.lockedAt }
    // The lock, decided: from this line on applyUpdate refuses every change.
    this.phase = 'locked'
    this.agreement = agreement
    this.agreementHash = hash
    this.lockedAt = now
    return {
      event: { actor: SERVER_ACTOR, type: 'lock', payload: { phase: 'locked', contentHash, agreementHash: hash, agreement: agreement as unknown as JsonPayload } },
      // Another process may have changed the content or a confirmation since what this one saw: then no lock.
      options: { phase: 'locked', agreementHash: hash, ...(this.follower ? { ifNoChangeAfter: this.follower.applied } : {}) },
      // The store refused the lock (another process changed something first): back to what the log says.
      revert: () => {
        this.phase = 'negotiating'
        this.agreement = undefined
        this.agreementHash = before.agreementHash
        this.lockedAt = before.lockedAt
        this.confirmations = before.confirmations
      },
    }
  }

  /** After a refused lock: the store takes appends again, and the room learns what the other process wrote. */
  private async resumeAfterRefusal(): Promise<void> {
    try {
      await this.store.resume(this.id)
    } catch (err) {
      this.log.warn({ roomId: this.id, err }, 'could not resume appends after a refused lock')
    }
    await this.catchUp()
    this.publishState()
  }

  private decideConfirm(actor: Actor, input: ConfirmPayload, context: ConfirmContext): Ack<StateResult> | Promise<Ack<StateResult>> {
    if (this.broken) return this.brokenRefusal()
    const role = actor.role
    if (role !== 'borrower' && role !== 'lender') return refuse('forbidden', 'only the borrower and the lender confirm')
    if (this.phase !== 'negotiating') return refuse('locked', 'the room is locked; the agreement is signed')
    const fullName = input.fullName.trim()
    if (fullName === '' || [...fullName].length > 200) return refuse('invalid_payload', '/fullName: 1 to 200 characters')
    const currentHash = this.currentHash
    // A room loaded over its quota whose content is too large to hash: there is nothing one could confirm.
    if (currentHash === '') return refuse('quota_exceeded', this.quotas.overOnLoad ?? 'this proposal is too long to confirm')
    if (input.hash !== currentHash) {
      const stale: Refusal & { currentHash: string } = {
        ...refuse('stale_hash', 'the proposal changed since you reviewed it; review the current version'),
        currentHash,
      }
      return stale
    }
    const content = readContent(this.doc)
    const validity = validateContent(content)
    if (!validity.ok) return refuse('invalid_content', `the proposal is not complete: ${validity.errors.join('; ')}`)

    const now = Date.now()
    let consent: StandingConfirmation['consent'] = null
    if (input.summaryLang !== undefined && input.summaryHash !== undefined && input.shownAt !== undefined) {
      const expected = summaryHash(content, input.summaryLang, this.record.currency)
      if (input.summaryHash !== expected) {
        return refuse('summary_mismatch', 'the summary you were shown is not the summary of the current proposal; review it again')
      }
      const shown = typeof input.shownAt === 'number' ? input.shownAt : Date.parse(input.shownAt)
      // A client clock ahead of ours must not put the showing after the confirmation.
      consent = { summaryLang: input.summaryLang, summaryHash: input.summaryHash, shownAt: new Date(Math.min(shown, now)).toISOString() }
    }
    const confirmation: StandingConfirmation = {
      role,
      name: actor.name,
      fullName,
      hash: currentHash,
      ts: now,
      consent,
      ip: context.ip,
      userAgent: context.userAgent,
    }
    const previous = this.confirmations.find((c) => c.role === role)
    // A resend (the ack was lost) changes nothing and logs nothing.
    if (previous && sameConfirmation(previous, confirmation)) return { ok: true, state: this.state }

    const events: NewEvent[] = [{ actor: { role, name: actor.name }, type: 'confirm', payload: confirmPayload(confirmation) }]
    let options: AppendOptions | undefined
    const other = this.confirmations.find((c) => c.role !== role && c.hash === currentHash)
    let revert: (() => void) | null = null
    if (other) {
      const sealed = this.seal(other, confirmation, content, now)
      if (!('event' in sealed)) return sealed
      events.push(sealed.event)
      options = sealed.options
      revert = sealed.revert
    }
    this.confirmations = [...this.confirmations.filter((c) => c.role !== role), confirmation]
    return this.write(events, options, revert !== null).then(
      (results): Ack<StateResult> => {
        for (const r of results) this.publishLine(r.event)
        this.publishState()
        return { ok: true, state: this.state }
      },
      (err: unknown): Refusal => {
        if (err instanceof AppendRefusedError && revert) {
          // Another process changed the proposal, or a confirmation, while this one decided: nothing was stored.
          revert()
          void this.resumeAfterRefusal()
          const stale: Refusal & { currentHash: string } = {
            ...refuse('stale_hash', 'the proposal changed while you confirmed; review the current version'),
            currentHash,
          }
          return stale
        }
        return refuse('storage_failure', 'the confirmation could not be stored; the room is reloading, confirm again')
      },
    )
  }

  /** Takes back the party's confirmation (before the lock). Without one, nothing happens. */
  withdraw(actor: Actor): Promise<Ack<StateResult>> {
    if (this.broken) return Promise.resolve(this.brokenRefusal())
    const role = actor.role
    if (role !== 'borrower' && role !== 'lender') return Promise.resolve(refuse('forbidden', 'only the borrower and the lender confirm'))
    if (this.phase !== 'negotiating') return Promise.resolve(refuse('locked', 'the room is locked; the agreement is signed'))
    const mine = this.confirmations.find((c) => c.role === role)
    if (!mine) return Promise.resolve({ ok: true, state: this.state })
    this.confirmations = this.confirmations.filter((c) => c !== mine)
    return this.write([{ actor: { role, name: actor.name }, type: 'withdraw', payload: { hash: mine.hash } }]).then(
      ([r]): Ack<StateResult> => {
        this.publishLine(r!.event)
        this.publishState()
        return { ok: true, state: this.state }
      },
      () => refuse('storage_failure', 'the withdrawal could not be stored; the room is reloading'),
    )
  }

  /** Confirmations, lock, ratings and amendments from their log events (Room.load). */
  private restoreDecisions(events: StoredEvent[]): void {
    this.confirmations = standingConfirmations(events, this.currentHash)
    this.ratings.push(...ratingsOf(events))
    for (const e of [...events].sort((a, b) => a.seq - b.seq)) {
      if (e.type === 'amend' && !(e.payload instanceof Uint8Array) && typeof e.payload.roomId === 'string') this.amendments.push(e.payload.roomId)
    }
    if (this.phase !== 'locked') return
    const lock = events.find((e) => e.type === 'lock')
    const agreement = lock && !(lock.payload instanceof Uint8Array) ? (lock.payload.agreement as Agreement | undefined) : undefined
    if (!agreement) {
      this.log.error({ roomId: this.id }, 'the room is locked but its log has no agreement')
      return
    }
    this.agreement = agreement
    this.agreementHash ??= agreementHash(agreement)
    this.lockedAt = Date.parse(agreement.lockedAt)
  }

  // ---- after the agreement: ratings and amendments ----

  /** A party rates the session once (1..5 stars, an optional comment); observers do not. */
  rate(actor: Actor, input: RatingPayload): Promise<Ack<RatingResult>> {
    if (this.broken) return Promise.resolve(this.brokenRefusal())
    const role = actor.role
    if (role !== 'borrower' && role !== 'lender') return Promise.resolve(refuse('forbidden', 'only the borrower and the lender rate the session'))
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

  // ---- presence ----

  /**
   * A connection (Yjs or socket.io) opened; the first one of a participant logs a join, unless the log
   * still shows them (their leave is pending: it is folded away).
   */
  join(identity: Identity, connectionId: string): Promise<void> {
    const key = presenceKey(identity.role, identity.name)
    let entry = this.presence.get(key)
    if (!entry) this.presence.set(key, (entry = { identity, connections: new Set() }))
    const wasOnline = entry.connections.size > 0
    entry.connections.add(connectionId)
    this.connectionKeys.set(connectionId, key)
    if (wasOnline) return SETTLED
    this.publishPresence(false)
    // Who is online is shown at once, whether or not a line is written.
    this.publishState()
    return this.reconcilePresence(key, this.presenceTurn())
  }

  /** A connection closed; the last one of a participant logs a leave, once they have stayed away (PresenceLog). */
  leave(connectionId: string): Promise<void> {
    const key = this.connectionKeys.get(connectionId)
    if (key === undefined) return SETTLED
    this.connectionKeys.delete(connectionId)
    const entry = this.presence.get(key)!
    entry.connections.delete(connectionId)
    if (entry.connections.size > 0) return SETTLED
    this.publishPresence(false)
    if (this.disposed) return SETTLED
    this.publishState()
    return this.reconcilePresence(key, this.presenceLog.leaveDelay(key, Date.now()) + this.presenceTurn())
  }

  /** Writes the presence lines still pending now (the room unloads, or the server stops). */
  settlePresence(): Promise<void> {
    return Promise.all(this.presenceLog.pending.map((key) => this.reconcilePresence(key, 0, true))).then(() => {})
  }

  /**
   * Brings the log in line with whether `key` is connected anywhere: a join, a leave, or nothing. After
   * `delayMs` (other processes' lines read first), else now; a leave waits out the join window unless `now`.
   */
  private reconcilePresence(key: string, delayMs: number, now = false): Promise<void> {
    if (delayMs > 0) {
      this.presenceLog.schedule(key, delayMs, () => {
        void this.catchUp()
          .catch(() => {})
          .then(() => this.reconcilePresence(key, 0))
          .catch((err: unknown) => void this.breakDown(err, 'presence timer'))
      })
      return SETTLED
    }
    this.presenceLog.cancel(key)
    const entry = this.presence.get(key)
    if (!entry || this.broken || this.disposed) return SETTLED
    const online = entry.connections.size > 0 || this.onlineElsewhere(key)
    if (online === this.presenceLog.present(key)) return SETTLED
    if (online) return this.logPresence(entry.identity, 'join', {})
    const wait = now ? 0 : this.presenceLog.windowLeft(key, Date.now())
    if (wait > 0) return this.reconcilePresence(key, wait)
    return this.logPresence(entry.identity, 'leave', {})
  }

  /** A join or leave line; the presence log knows of it at once, so this node never decides it twice. */
  private logPresence(identity: Identity, type: 'join' | 'leave', payload: JsonPayload): Promise<void> {
    this.presenceLog.saw(presenceKey(identity.role, identity.name), type, Date.now())
    return this.logSystem({ role: identity.role, name: identity.name }, type, payload)
  }

  /** With other processes: this node's turn among the live ones, so two deciding the same line at once write it once. */
  private presenceTurn(): number {
    const cluster = this.cluster
    if (!cluster) return 0
    return Math.max([...cluster.aliveNodes()].sort().indexOf(cluster.nodeId), 0) * PRESENCE_TURN_MS
  }

  get connectionCount(): number {
    return this.connectionKeys.size
  }

  get participants(): Participant[] {
    return [...this.presence.values()].map(({ identity, connections }) => ({
      role: identity.role,
      name: identity.name,
      ...(identity.label ? { label: identity.label } : {}),
      online: connections.size > 0 || this.onlineElsewhere(presenceKey(identity.role, identity.name)),
    }))
  }

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
    if (this.quotas.overOnLoad) s.readOnly = this.quotas.overOnLoad
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
  private scheduleState(): void {
    if (this.stateTimer || this.disposed) return
    this.stateTimer = setTimeout(() => {
      this.stateTimer = null
      this.publishState()
    }, this.stateDebounceMs)
  }

  // ---- other server processes (REDIS_URL) ----

  /** A message about this room from another node. */
  receive(m: RoomMessage): void {
    if (this.disposed || !this.cluster) return
    switch (m.kind) {
      case 'events':
        this.follower?.received(m.events.map((e) => fromArchiveEvent(this.id, e)))
        return
      case 'awareness':
        try {
          applyAwarenessUpdate(this.awareness, fromBase64(m.update), REMOTE_ORIGIN)
        } catch (err) {
          this.log.warn({ roomId: this.id, node: m.node, err }, 'undecodable awareness from another node dropped')
        }
        return
      case 'presence': {
        const before = this.remoteOnline.get(m.node)
        if (m.online.length > 0) this.remoteOnline.set(m.node, m.online)
        else this.remoteOnline.delete(m.node)
        for (const identity of m.online) {
          const key = presenceKey(identity.role, identity.name)
          if (!this.presence.has(key)) this.presence.set(key, { identity: { ...identity }, connections: new Set() })
        }
        if (m.ask) this.publishPresence(false)
        if (JSON.stringify(before ?? []) !== JSON.stringify(m.online)) this.publishState()
        return
      }
    }
  }

  /** Tells the other nodes who is connected here (and, with `ask`, asks for theirs). */
  publishPresence(ask: boolean): void {
    const cluster = this.cluster
    if (!cluster || this.disposed) return
    const online: ClusterIdentity[] = []
    for (const { identity, connections } of this.presence.values()) if (connections.size > 0) online.push({ ...identity })
    cluster.publish({ kind: 'presence', node: cluster.nodeId, roomId: this.id, online, ask })
  }

  /** Reads what this node may have missed from the store (pub/sub lost messages, or a node died before publishing). */
  catchUp(): Promise<void> {
    return this.follower?.catchUp() ?? SETTLED
  }

  /** A node stopped: its connections are gone. The lowest surviving node that knew of them logs their leave. */
  nodeLost(node: string): void {
    const cluster = this.cluster
    const gone = this.remoteOnline.get(node)
    if (!cluster || this.disposed) return
    void this.catchUp()
    if (!gone) return
    this.remoteOnline.delete(node)
    const alive = cluster.aliveNodes()
    const candidates = [cluster.nodeId, ...this.remoteOnline.keys()].filter((n) => alive.has(n)).sort()
    if (candidates[0] === cluster.nodeId) {
      for (const identity of gone) {
        const key = presenceKey(identity.role, identity.name)
        // Written even when its join is not in the log: that node may have died while waiting its turn to write it.
        if ((this.presence.get(key)?.connections.size ?? 0) > 0 || this.onlineElsewhere(key)) continue
        void this.logPresence(identity, 'leave', { reason: 'server_lost' })
      }
    }
    this.publishState()
  }

  private onlineElsewhere(key: string): boolean {
    for (const online of this.remoteOnline.values()) if (online.some((i) => presenceKey(i.role, i.name) === key)) return true
    return false
  }

  private publishEvents(events: StoredEvent[]): void {
    const cluster = this.cluster
    if (!cluster) return
    for (let i = 0; i < events.length; i += 64) {
      cluster.publish({ kind: 'events', node: cluster.nodeId, roomId: this.id, events: events.slice(i, i + 64).map(toArchiveEvent) })
    }
  }

  /** This node's commit: tell the follower and the other nodes; a confirmation may complete a pair. */
  private followOwn(results: AppendResult[]): void {
    const fresh = results.filter((r) => !r.duplicate).map((r) => r.event)
    if (fresh.length === 0) return
    let confirmed = false
    for (const e of fresh) {
      if (e.type !== 'confirm') continue
      this.confirmSeq.set(e.actor.role, e.seq)
      this.ownConfirmSeqs.add(e.seq)
      confirmed = true
    }
    this.follower!.committed(fresh.map((e) => e.seq))
    this.publishEvents(fresh)
    // The other party's confirmation may have come in while ours was being written.
    if (confirmed) this.lockIfPaired()
  }

  /** Another node's committed event, in seq order: the room becomes what the log says. */
  private applyRemote(e: StoredEvent): void {
    if (this.disposed) return
    if (e.seq > this.lastSeq) {
      this.lastSeq = e.seq
      this.lastHash = e.hash
      this.lastActivity = e.ts
    }
    switch (e.type) {
      case 'update': {
        const update = e.payload as Uint8Array
        for (const client of Y.parseUpdateMeta(update).to.keys()) if (!this.owners.has(client)) this.owners.set(client, e.actor.role)
        const effective = applyCapturing(this.doc, update, REMOTE_ORIGIN)
        const changed = effective !== null
        if (effective) this.quotas.accepted(effective)
        this.updatesSinceSnapshot++
        if (!changed) return
        this.contentChanged()
        this.listener.update(this, update, REMOTE_ORIGIN)
        if (this.confirmations.length > 0) this.dropStaleConfirmations(e)
        else this.scheduleState()
        return
      }
      case 'chat': {
        const message = toChatMessage(e)
        this.remember(this.chatHistory, message)
        this.listener.chat(this, message)
        return
      }
      case 'confirm': {
        const c = fromConfirmEvent(e)
        if (c && c.hash === this.currentHash && this.phase === 'negotiating') {
          this.confirmations = [...this.confirmations.filter((x) => x.role !== c.role), c]
          this.confirmSeq.set(c.role, e.seq)
        }
        break
      }
      case 'withdraw':
      case 'cleared': {
        const p = e.payload as JsonPayload
        const roles = e.type === 'withdraw' ? [e.actor.role] : Array.isArray(p.roles) ? (p.roles as string[]) : ['borrower', 'lender']
        this.confirmations = this.confirmations.filter((c) => !(roles.includes(c.role) && c.hash === p.hash))
        break
      }
      case 'lock': {
        const p = e.payload as JsonPayload
        this.phase = 'locked'
        if (typeof p.agreementHash === 'string') this.agreementHash = p.agreementHash
        const agreement = p.agreement as Agreement | undefined
        if (agreement) {
          this.agreement = agreement
          this.lockedAt = Date.parse(agreement.lockedAt)
        }
        break
      }
      case 'rating': {
        const rating = toRating(e)
        if (rating && !this.ratings.some((r) => r.role === rating.role)) this.ratings.push(rating)
        break
      }
      case 'amend': {
        const p = e.payload as JsonPayload
        if (typeof p.roomId === 'string' && !this.amendments.includes(p.roomId)) this.amendments.push(p.roomId)
        break
      }
      case 'attachment':
        this.rememberAttachment(toAttachmentInfo(e))
        break
      case 'join':
      case 'leave':
        this.presenceLog.saw(presenceKey(e.actor.role, e.actor.name), e.type, e.ts)
        break
      default:
        break
    }
    this.publishLine(e)
    this.publishState()
    if (e.type === 'confirm') this.lockIfPaired()
  }

  /**
   * Another node's change of content made standing confirmations stale. If one of them was written here, this
   * node logs that they were cleared (the other node may not have known of it when it wrote the change).
   */
  private dropStaleConfirmations(update: StoredEvent): void {
    const hash = this.currentHash
    const stale = this.confirmations.filter((c) => c.hash !== hash)
    if (stale.length === 0) return this.scheduleState()
    this.confirmations = this.confirmations.filter((c) => c.hash === hash)
    this.publishState()
    const mine = stale.filter((c) => this.ownConfirmSeqs.has(this.confirmSeq.get(c.role) ?? -1))
    if (mine.length === 0) return
    // A node that knew of the confirmation wrote 'cleared' in the same transaction as the update (the next seq).
    void this.store.readEvents(this.id, { fromSeq: update.seq + 1, toSeq: update.seq + 1 }).then(
      ([next]) => {
        if (next?.type === 'cleared' || this.disposed || this.broken) return
        const who = { role: update.actor.role, name: update.actor.name }
        return this.logSystem(who, 'cleared', { hash: mine[0]!.hash, roles: mine.map((c) => c.role) })
      },
      (err: unknown) => this.log.warn({ roomId: this.id, err }, 'could not check whether a change was logged as clearing confirmations'),
    )
  }

  /**
   * Both parties stand confirmed on the current content, the later confirmation written by this node, which did
   * not know of the earlier one when it wrote it: this node locks (the other one waits for the lock event).
   */
  private lockIfPaired(): void {
    if (this.locking || this.phase !== 'negotiating') return
    const hash = this.currentHash
    const pair = this.confirmations.filter((c) => c.hash === hash)
    if (pair.length < 2) return
    const seqs = pair.map((c) => this.confirmSeq.get(c.role) ?? -1)
    const later = Math.max(...seqs)
    if (!this.ownConfirmSeqs.has(later)) return
    this.locking = true
    void this.caughtUp()
      .then(() => {
        if (this.phase !== 'negotiating' || this.broken || this.disposed) return
        const now = this.confirmations.filter((c) => c.hash === this.currentHash)
        if (now.length < 2) return
        const content = readContent(this.doc)
        if (!validateContent(content).ok) return
        const [first, second] = [...now].sort((a, b) => (this.confirmSeq.get(a.role) ?? 0) - (this.confirmSeq.get(b.role) ?? 0))
        const sealed = this.seal(first!, second!, content, Date.now())
        if (!('event' in sealed)) return
        return this.write([sealed.event], sealed.options, true).then(
          ([r]) => {
            this.publishLine(r!.event)
            this.publishState()
          },
          (err: unknown) => {
            if (!(err instanceof AppendRefusedError)) return
            sealed.revert()
            return this.resumeAfterRefusal()
          },
        )
      })
      .finally(() => {
        this.locking = false
      })
  }

  // ---- writes ----

  /**
   * Appends events through the store (which keeps call order per room). A failure breaks the
   * room: nothing later may be written on top of a gap.
   */
  protected write(events: NewEvent[], options?: AppendOptions, refusable = false): Promise<AppendResult[]> {
    if (this.broken) return Promise.reject(this.broken)
    this.pendingWrites++
    const p = this.store.append(this.id, events, options)
    const settled = p.then(
      (results) => {
        for (const r of results) {
          if (r.duplicate || r.event.seq <= this.lastSeq) continue
          this.lastSeq = r.event.seq
          this.lastHash = r.event.hash
          this.lastActivity = r.event.ts
        }
        if (this.follower) this.followOwn(results)
      },
      (err: unknown) => {
        // A lock the store refused by its rules broke nothing: the caller reverts its decision.
        if (refusable && err instanceof AppendRefusedError) return
        this.fail(err)
      },
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

  /** Shows a committed system event as a room:event line (for the types that have one). */
  private publishLine(e: StoredEvent): void {
    const line = toEventLine(e)
    if (!line) return
    this.remember(this.eventHistory, line)
    this.listener.event(this, line)
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
    const fault = this.broken instanceof RoomFault
    this.log.error({ roomId: this.id, err: this.broken }, fault ? 'an exception broke the room; it will reload' : 'storage failure; the room will reload')
    this.listener.failed(this, this.broken)
  }

  /**
   * An exception inside this room's handling: the room's state is unknown, so it is marked broken and dropped like
   * after a storage failure (its members are told, the next load retries); other rooms go on.
   */
  breakDown(err: unknown, where: string): RoomFault {
    const fault = err instanceof RoomFault ? err : new RoomFault(this.id, where, err)
    this.fail(fault)
    return fault
  }

  /** What every command answers once the room is broken. */
  private brokenRefusal(): Refusal {
    return this.broken instanceof RoomFault ? roomBrokenRefusal() : refuse('storage_failure', 'the room is reloading after a storage failure')
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
    this.updatesSinceSnapshot = 0
    this.pendingWrites++
    try {
      const snapshot = {
        // With other processes, events after a gap may be in the document already: replaying them again is harmless,
        // skipping the missing one is not.
        seq: this.follower?.applied ?? this.lastSeq,
        state: Y.encodeStateAsUpdate(this.doc),
        owners: Object.fromEntries([...this.owners].map(([c, r]) => [String(c), r])),
      }
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
    this.follower?.stop()
    this.presenceLog.dispose()
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

/** Applies an update and returns what it changed in the document (null: nothing, it was known already). */
function applyCapturing(doc: Y.Doc, update: Uint8Array, origin: unknown): Uint8Array | null {
  let effective: Uint8Array | null = null
  const capture = (u: Uint8Array): void => {
    effective = u
  }
  doc.on('update', capture)
  try {
    Y.applyUpdate(doc, update, origin)
  } finally {
    doc.off('update', capture)
  }
  return effective
}
