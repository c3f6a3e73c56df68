// One open y-websocket connection: what it may do (its token's actor), where it is in the sync
// handshake, and how it ends. The room decides every update; this says what a refusal means for
// the socket (drop it, hold it until the client's sync step 2, or close with which code).
import { randomUUID } from 'node:crypto'
import { WebSocket } from 'ws'
import type { Refusal } from '../../shared/protocol/errors.ts'
import type { Actor } from '../../shared/protocol/room.ts'
import { CLOSE } from '../../shared/protocol/yjs.ts'
import type { LatencyHistogram } from '../LatencyHistogram.ts'
import type { Logger } from '../log.ts'
import type { Identity, Room, UpdateResult } from '../room/Room.ts'
import type { Lease } from '../room/RoomRegistry.ts'
import type { ConnectionSlot } from '../edge/ConnectionLimits.ts'
import type { Inbox } from '../edge/yjsInbox.ts'

/** Updates received before the client's sync step 2 may depend on it (typed while reconnecting). */
const MAX_HELD_UPDATES = 64
/** A client that cannot keep up is dropped; it resyncs on reconnect. */
const MAX_BUFFERED = 8 * 1024 * 1024

/**
 * Where the connection is. `syncing`: our sync step 1 went out, the client's step 2 is not processed yet,
 * so its updates that lack their base are held. `synced`: updates apply as they come. `closed`: ended,
 * nothing more is handled or sent.
 */
export type ConnectionState =
  | { kind: 'syncing'; held: Uint8Array[]; heldBytes: number }
  | { kind: 'synced' }
  | { kind: 'closed' }

/** What every connection of one transport shares. */
export interface ConnectionContext {
  log: Logger
  /** Largest message (bytes); also the most a connection may hold while syncing. */
  maxPayload: number
  /** From an update's arrival to its durable commit. */
  updateLatency: LatencyHistogram
  /** The transport forgets the connection (its channel, its budgets); called once, first thing after it closed. */
  ended(conn: YjsConnection): void
  /** Counts a close the server decided on, by its reason. */
  closedByServer(reason: string, roomId: string): void
}

export interface ConnectionSetup {
  ws: WebSocket
  lease: Lease
  identity: Identity
  /** Who the log names for this connection's updates (tokenActor: a seat token adds the staff member). */
  actor: Actor
  slot: ConnectionSlot | null
  /** The rate-limit key of the token's holder. */
  participant: string
}

/** Close reasons are limited to 123 bytes (RFC 6455). */
export function closeReason(text: string): string {
  const bytes = Buffer.from(text, 'utf8')
  if (bytes.length <= 123) return text
  return bytes.subarray(0, 120).toString('utf8').replace(/\uFFFD+$/, '') + '…'
}

export class YjsConnection {
  readonly id = randomUUID()
  readonly ws: WebSocket
  readonly room: Room
  readonly actor: Actor
  /** The awareness guard's speaker identity: name, role and label come from the token, never the client. */
  readonly identity: Identity
  readonly participant: string
  /** Inbound messages waiting for their rate-limit verdict, in arrival order. */
  readonly inbox: Inbox = { tail: Promise.resolve(), messages: 0, bytes: 0 }
  private state: ConnectionState = { kind: 'syncing', held: [], heldBytes: 0 }
  private readonly lease: Lease
  private readonly slot: ConnectionSlot | null
  private lastSent = Date.now()
  /** A ping went out and its pong has not come back yet. */
  private pongDue = false

  constructor(
    private readonly context: ConnectionContext,
    setup: ConnectionSetup,
  ) {
    this.ws = setup.ws
    this.lease = setup.lease
    this.room = setup.lease.room
    this.identity = setup.identity
    this.actor = setup.actor
    this.slot = setup.slot
    this.participant = setup.participant
    this.ws.on('pong', () => {
      this.pongDue = false
    })
  }

  get closed(): boolean {
    return this.state.kind === 'closed'
  }

  send(msg: Uint8Array): void {
    if (this.closed || this.ws.readyState !== WebSocket.OPEN) return
    if (this.ws.bufferedAmount > MAX_BUFFERED) return this.close(CLOSE.tryAgainLater, 'slow_consumer: too much unsent data')
    this.lastSent = Date.now()
    this.ws.send(msg, (err) => {
      if (err) this.end()
    })
  }

  /** Sends `msg` when nothing went out for `idleMs`. */
  keepalive(now: number, idleMs: number, msg: Uint8Array): void {
    if (now - this.lastSent >= idleMs) this.send(msg)
  }

  /** One ping round: a connection that did not answer the last ping is terminated. */
  heartbeat(): void {
    if (this.pongDue) {
      if (!this.closed) this.context.closedByServer('heartbeat_timeout: no pong to the last ping', this.room.id)
      this.ws.terminate()
      return this.end()
    }
    this.pongDue = true
    try {
      this.ws.ping()
    } catch {
      this.end()
    }
  }

  close(code: number, reason: string): void {
    if (this.closed) return
    this.context.closedByServer(reason, this.room.id)
    try {
      this.ws.close(code, closeReason(reason))
    } catch {
      this.ws.terminate()
    }
    this.end()
  }

  /** Idempotent: whatever ended the connection, the room forgets it at once. */
  end(): void {
    if (this.closed) return
    this.state = { kind: 'closed' }
    this.context.ended(this)
    void this.room.leave(this.id)
    this.lease.release()
    this.slot?.release()
  }

  /** A document update from the client: the room decides, the refusal says what becomes of the socket. */
  update(update: Uint8Array, isStep2: boolean): void {
    const start = performance.now()
    let result: UpdateResult
    try {
      result = this.room.applyUpdate(this.actor, update, this)
    } catch (err) {
      // Not the client's malformed frame (that is refused as a value): the room's state is unknown now.
      this.room.breakDown(err, 'yjs update')
      return
    }
    if (result.ok) {
      if (result.applied) void result.committed.then(() => this.context.updateLatency.since(start))
      if (isStep2) this.synced()
      return
    }
    if (isStep2 && (result.error === 'read_only' || result.error === 'locked' || result.error === 'paused')) this.synced()
    this.refused(result, update, isStep2)
  }

  /** The client's sync step 2 is in: what it held back may apply now. */
  private synced(): void {
    if (this.state.kind !== 'syncing') return
    const { held } = this.state
    this.state = { kind: 'synced' }
    for (const u of held) {
      if (this.closed) return
      this.update(u, false)
    }
  }

  /** Holds an update that lacks its base until the client's sync step 2 brings it; false when it cannot be held. */
  private hold(update: Uint8Array, isStep2: boolean): boolean {
    const s = this.state
    if (isStep2 || s.kind !== 'syncing') return false
    if (s.held.length >= MAX_HELD_UPDATES || s.heldBytes + update.length > this.context.maxPayload) return false
    s.held.push(update)
    s.heldBytes += update.length
    return true
  }

  private refused(r: Refusal, update: Uint8Array, isStep2: boolean): void {
    const log = this.context.log
    const where = { roomId: this.room.id, role: this.actor.role }
    switch (r.error) {
      case 'read_only':
        // Dropped: never applied, stored or broadcast.
        log.debug({ ...where, reason: r.error }, 'update dropped')
        return
      case 'locked':
      case 'paused':
      case 'baseline_frozen':
        // Dropped too, but the editor's document now holds a change the room will never have (and every later
        // change depends on it): like a forbidden write, it starts over from the room's document.
        log.info({ ...where, reason: r.error }, 'update refused')
        return this.close(CLOSE.forbiddenWrite, `${r.error}: ${r.message}`)
      case 'missing_dependencies':
        // Typed while reconnecting: its base arrives with the client's sync step 2; hold it until then.
        if (this.hold(update, isStep2)) return
        return this.close(CLOSE.invalidMessage, `missing_dependencies: ${r.message}`)
      case 'forbidden_write':
        log.info({ ...where, reason: r.message }, 'forbidden write refused')
        return this.close(CLOSE.forbiddenWrite, `forbidden_write: ${r.message}`)
      case 'storage_failure':
        return this.close(CLOSE.storageFailure, `storage_failure: ${r.message}`)
      case 'quota_exceeded':
        log.info({ ...where, reason: r.message }, 'update over a room quota refused')
        return this.close(CLOSE.quotaExceeded, `quota_exceeded: ${r.message}`)
      case 'room_broken':
        return this.close(CLOSE.roomBroken, `room_broken: ${r.message}`)
      default:
        log.info({ ...where, reason: r.message }, 'invalid update refused')
        return this.close(CLOSE.invalidMessage, `${r.error}: ${r.message}`)
    }
  }
}
