// The y-websocket protocol at /yjs/<roomId>?token=… on y-protocols, so a stock y-websocket
// client syncs. Auth happens at the HTTP upgrade; every frame is decoded and checked here and
// handed to the Room, which decides; this file only sends what the room accepted.
import { randomUUID } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { WebSocketServer, WebSocket, type RawData } from 'ws'
import { applyAwarenessUpdate, encodeAwarenessUpdate, removeAwarenessStates } from 'y-protocols/awareness'
import * as Y from 'yjs'
import type { Refusal } from '../../shared/protocol/errors.ts'
import type { Actor } from '../../shared/protocol/room.ts'
import { CLOSE, MESSAGE } from '../../shared/protocol/yjs.ts'
import type { Tokens, VerifiedToken } from '../auth/tokens.ts'
import type { TokenWatch } from '../auth/TokenWatch.ts'
import { originAllowed, type OriginPolicy } from '../http/originCheck.ts'
import { LatencyHistogram } from '../LatencyHistogram.ts'
import type { Logger } from '../log.ts'
import type { Identity, Room, UpdateResult } from '../room/Room.ts'
import { RoomFault, roomBrokenRefusal, roomIdOf } from '../room/RoomFault.ts'
import type { Lease, RoomRegistry } from '../room/RoomRegistry.ts'
import { awarenessGuard } from './awarenessGuard.ts'
import type { ConnectionLimits, ConnectionSlot } from '../limits/ConnectionLimits.ts'
import { participantKey, type RateLimits } from '../limits/RateLimits.ts'
import { meterYjsMessage, rateLimitedReason, type Inbox } from '../limits/yjsInbox.ts'

export interface YjsTransportOptions {
  registry: RoomRegistry
  tokens: Tokens
  log: Logger
  /** Largest message (bytes); bigger ones close the socket with 1009 and a reason. */
  maxPayload: number
  /**
   * Send a connection a tiny awareness message when nothing went out for this long: the
   * y-websocket client drops a connection after 30 s without any inbound message.
   */
  keepaliveMs?: number
  /** ws ping interval; a connection that missed a pong is terminated. */
  pingMs?: number
  /** Browser origins allowed to connect (none given: any). */
  origins?: OriginPolicy
  /** Closes a connection whose token expires or is revoked while it is open (4401). */
  watch?: TokenWatch
  /** Open-connection caps shared with socket.io. */
  limits?: ConnectionLimits
  /** Per-connection and per-participant budgets for updates, bytes and other messages. */
  rates?: RateLimits
  /** Token check and room load must finish within this (ms), or the socket is destroyed. */
  upgradeTimeoutMs?: number
}

const SYNC_STEP1 = 0
const SYNC_STEP2 = 1
const SYNC_UPDATE = 2
/** Updates received before the client's sync step 2 may depend on it (typed while reconnecting). */
const MAX_HELD_UPDATES = 64
/** A client that cannot keep up is dropped; it resyncs on reconnect. */
const MAX_BUFFERED = 8 * 1024 * 1024

interface Connection {
  id: string
  ws: WebSocket
  room: Room
  channel: Channel
  lease: Lease
  actor: Actor
  identity: Identity
  lastSent: number
  alive: boolean
  /** The client's answer to our sync step 1 was processed. */
  synced: boolean
  held: Uint8Array[]
  heldBytes: number
  closed: boolean
  slot: ConnectionSlot | null
  participant: string
  inbox: Inbox
}

interface Channel {
  room: Room
  connections: Set<Connection>
  offAwareness: () => void
}

function message(write: (e: encoding.Encoder) => void): Uint8Array {
  const e = encoding.createEncoder()
  write(e)
  return encoding.toUint8Array(e)
}

const KEEPALIVE = message((e) => {
  encoding.writeVarUint(e, MESSAGE.awareness)
  encoding.writeVarUint8Array(e, new Uint8Array([0])) // an awareness update about no one
})

/** Close reasons are limited to 123 bytes (RFC 6455). */
function closeReason(text: string): string {
  const bytes = Buffer.from(text, 'utf8')
  if (bytes.length <= 123) return text
  return bytes.subarray(0, 120).toString('utf8').replace(/\uFFFD+$/, '') + '…'
}

const STATUS_TEXT: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 429: 'Too Many Requests', 503: 'Service Unavailable' }

/** Refuses an upgrade with a plain HTTP response, before any websocket exists. */
function refuseUpgrade(socket: Duplex, status: number, error: string, text: string): void {
  if (socket.destroyed) return
  const body = JSON.stringify({ error, message: text })
  socket.once('finish', () => socket.destroy())
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? 'Error'}\r\n` +
      'Connection: close\r\nContent-Type: application/json; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  )
}

function readPayload(decoder: decoding.Decoder): Uint8Array {
  const bytes = decoding.readVarUint8Array(decoder)
  // lib0 clamps a too-long length silently; a truncated frame must not pass as a short one.
  if (decoder.pos > decoder.arr.length) throw new Error('truncated message')
  if (decoding.hasContent(decoder)) throw new Error('trailing bytes after the message')
  return bytes
}

export class YjsTransport {
  /** From an update's arrival to its broadcast: checks, apply, durable commit, fan-out. */
  readonly updateLatency = new LatencyHistogram()
  private readonly wss: WebSocketServer
  private readonly channels = new Map<string, Channel>()
  private readonly keepaliveMs: number
  private readonly timers: NodeJS.Timeout[] = []
  private readonly unsubscribe: () => void
  private closing = false

  constructor(private readonly options: YjsTransportOptions) {
    this.keepaliveMs = options.keepaliveMs ?? 12_000
    this.wss = new WebSocketServer({ noServer: true, maxPayload: options.maxPayload, perMessageDeflate: false })
    this.unsubscribe = options.registry.subscribe({
      update: (room, update, origin) => this.broadcastUpdate(room, update, origin),
      failed: (room, err) => {
        const channel = this.channels.get(room.id)
        if (channel?.room !== room) return
        const [code, reason] = err instanceof RoomFault ? [CLOSE.roomBroken, `room_broken: ${roomBrokenRefusal().message}`] : [CLOSE.storageFailure, 'storage_failure: the room is reloading']
        for (const c of [...channel.connections]) this.closeConnection(c, code, reason)
      },
    })
    const tick = setInterval(() => this.keepalive(), Math.min(5000, this.keepaliveMs / 2))
    const ping = setInterval(() => this.ping(), options.pingMs ?? 30_000)
    tick.unref()
    ping.unref()
    this.timers.push(tick, ping)
  }

  /** Takes an HTTP upgrade whose path starts with /yjs/; returns false for other paths. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    const url = new URL(req.url ?? '/', 'http://localhost')
    if (url.pathname !== '/yjs' && !url.pathname.startsWith('/yjs/')) return false
    socket.on('error', () => {})
    const full = this.options.limits?.admit(req)
    if (full) {
      refuseUpgrade(socket, 503, full.error, full.message)
      return true
    }
    // A client that never lets the token check or the room load finish must not hold its socket.
    const deadline = setTimeout(() => socket.destroy(), this.options.upgradeTimeoutMs ?? 10_000)
    void this.upgrade(req, socket, head, url)
      .catch((err: unknown) => {
        this.options.log.error({ err, roomId: roomIdOf(err) }, 'yjs upgrade failed')
        if (err instanceof RoomFault) refuseUpgrade(socket, 503, 'room_broken', roomBrokenRefusal().message)
        else refuseUpgrade(socket, 503, 'unavailable', 'the room could not be opened')
      })
      .finally(() => clearTimeout(deadline))
    return true
  }

  get connectionCount(): number {
    let n = 0
    for (const ch of this.channels.values()) n += ch.connections.size
    return n
  }

  /** Server shutdown: every connection is closed with 1001 (the client reconnects to the next server). */
  async close(): Promise<void> {
    this.closing = true
    this.unsubscribe()
    for (const t of this.timers) clearInterval(t)
    for (const ch of [...this.channels.values()]) {
      for (const c of [...ch.connections]) this.closeConnection(c, CLOSE.goingAway, 'server_shutdown')
    }
    await new Promise<void>((resolve) => this.wss.close(() => resolve()))
  }

  private async upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, url: URL): Promise<void> {
    // Room ids are URL-safe already: no decoding, anything else is simply not a room.
    const roomId = url.pathname.slice('/yjs/'.length)
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(roomId)) return refuseUpgrade(socket, 404, 'not_found', 'no such room')
    if (this.closing) return refuseUpgrade(socket, 503, 'unavailable', 'the server is shutting down')
    if (this.options.origins && !originAllowed(req, this.options.origins)) return refuseUpgrade(socket, 403, 'forbidden', 'this origin may not connect')
    // A participant over its budget is sent away before the token check, the room join and their log events.
    const participant = participantKey(roomId, url.searchParams.get('token') ?? '')
    const spentMs = (await this.options.rates?.yjsSpentFor(participant)) ?? 0
    if (spentMs > 0) return refuseUpgrade(socket, 429, 'rate_limited', rateLimitedReason(spentMs).slice('rate_limited: '.length))
    const verified = await this.options.tokens.verifyForRoom(url.searchParams.get('token'), roomId)
    if (!verified.ok) return refuseUpgrade(socket, verified.error === 'forbidden' ? 403 : 401, verified.error, verified.message)
    const token = url.searchParams.get('token')!
    const slot = this.options.limits?.claim(token, roomId, this.options.limits.address(req)) ?? null
    if (slot && !slot.ok) return refuseUpgrade(socket, 429, slot.error, slot.message)
    // The room is loaded before the websocket opens, so our first sync step answers with the stored document.
    const lease = await this.options.registry.acquire(roomId).catch((err: unknown) => {
      slot?.release()
      throw err
    })
    if (!lease) {
      slot?.release()
      return refuseUpgrade(socket, 404, 'not_found', 'no such room')
    }
    if (socket.destroyed || this.closing) {
      lease.release()
      slot?.release()
      return
    }
    let opened = false
    // ws answers a malformed handshake itself without calling back: still give the room back.
    socket.once('close', () => {
      if (opened) return
      lease.release()
      slot?.release()
    })
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      opened = true
      try {
        this.open(ws, lease, verified, slot, participant)
      } catch (err) {
        lease.room.breakDown(err, 'yjs join')
      }
    })
  }

  private open(ws: WebSocket, lease: Lease, token: VerifiedToken, slot: ConnectionSlot | null = null, participant = ''): void {
    const room = lease.room
    const identity: Identity = { role: token.role, name: token.name, ...(token.label ? { label: token.label } : {}) }
    const channel = this.channel(room)
    const conn: Connection = {
      id: randomUUID(),
      ws,
      room,
      channel,
      lease,
      actor: { role: token.role, name: token.name },
      identity,
      lastSent: Date.now(),
      alive: true,
      synced: false,
      held: [],
      heldBytes: 0,
      closed: false,
      slot,
      participant,
      inbox: { tail: Promise.resolve(), messages: 0, bytes: 0 },
    }
    channel.connections.add(conn)
    const unwatch = this.options.watch?.watch(token, (why) => this.closeConnection(conn, CLOSE.tokenExpired, `${why.error}: ${why.message}`))
    if (unwatch) ws.once('close', unwatch)
    // ws closes an oversized message with 1009 but no reason; say why first (y-websocket #189).
    const receiver = (ws as unknown as { _receiver?: NodeJS.EventEmitter })._receiver
    receiver?.prependListener('error', (err: Error & { code?: string }) => {
      if (err.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') {
        this.closeConnection(conn, CLOSE.tooLarge, `message_too_large: messages are limited to ${this.options.maxPayload} bytes`)
      }
    })
    ws.on('message', (data, isBinary) => this.onMessage(conn, data, isBinary))
    ws.on('close', () => this.cleanup(conn))
    ws.on('error', (err) => this.options.log.debug({ err, roomId: room.id }, 'yjs socket error'))
    ws.on('pong', () => {
      conn.alive = true
    })
    void room.join(identity, conn.id)
    this.options.log.debug({ roomId: room.id, role: token.role, conn: conn.id }, 'yjs connection opened')

    this.send(
      conn,
      message((e) => {
        encoding.writeVarUint(e, MESSAGE.sync)
        encoding.writeVarUint(e, SYNC_STEP1)
        encoding.writeVarUint8Array(e, Y.encodeStateVector(room.doc))
      }),
    )
    const states = room.awareness.getStates()
    if (states.size > 0) this.send(conn, this.awarenessMessage(room, [...states.keys()]))
  }

  private channel(room: Room): Channel {
    const existing = this.channels.get(room.id)
    if (existing && existing.room === room) return existing
    const connections = new Set<Connection>()
    const onAwareness = ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }): void => {
      const changed = [...added, ...updated, ...removed]
      if (changed.length === 0) return
      const msg = this.awarenessMessage(room, changed)
      for (const c of connections) this.send(c, msg)
    }
    room.awareness.on('update', onAwareness)
    const channel: Channel = { room, connections, offAwareness: () => room.awareness.off('update', onAwareness) }
    this.channels.set(room.id, channel)
    return channel
  }

  private awarenessMessage(room: Room, clients: number[]): Uint8Array {
    return message((e) => {
      encoding.writeVarUint(e, MESSAGE.awareness)
      encoding.writeVarUint8Array(e, encodeAwarenessUpdate(room.awareness, clients))
    })
  }

  private onMessage(conn: Connection, data: RawData, isBinary: boolean): void {
    if (conn.closed) return
    if (!isBinary) return this.closeConnection(conn, CLOSE.invalidMessage, 'invalid_message: text frames are not part of the protocol')
    // A copy whose buffer is exactly this message: nothing a decoder does can read past it.
    const buf = Array.isArray(data) ? new Uint8Array(Buffer.concat(data)) : new Uint8Array(data as Buffer | ArrayBuffer)
    const rates = this.options.rates
    if (rates && !rates.yjsUnlimited) {
      // Spent in arrival order; a message over budget closes the connection before it is handled.
      const metered = meterYjsMessage(conn.inbox, rates, { connection: conn.id, participant: conn.participant }, buf, (verdict) => {
        if (conn.closed) return
        if (!verdict.ok) return this.closeConnection(conn, CLOSE.rateLimited, rateLimitedReason(verdict.retryAfterMs))
        this.process(conn, buf)
      })
      if (!metered.ok) this.closeConnection(conn, CLOSE.rateLimited, rateLimitedReason(metered.retryAfterMs))
      return
    }
    this.process(conn, buf)
  }

  private process(conn: Connection, buf: Uint8Array): void {
    try {
      this.handle(conn, buf)
    } catch (err) {
      this.closeConnection(conn, CLOSE.invalidMessage, `invalid_message: ${(err as Error).message || 'undecodable'}`)
    }
  }

  private handle(conn: Connection, buf: Uint8Array): void {
    const room = conn.room
    const decoder = decoding.createDecoder(buf)
    const type = decoding.readVarUint(decoder)
    switch (type) {
      case MESSAGE.sync: {
        const step = decoding.readVarUint(decoder)
        const payload = readPayload(decoder)
        if (step === SYNC_STEP1) {
          const diff = Y.encodeStateAsUpdate(room.doc, payload)
          const reply = message((e) => {
            encoding.writeVarUint(e, MESSAGE.sync)
            encoding.writeVarUint(e, SYNC_STEP2)
            encoding.writeVarUint8Array(e, diff)
          })
          // The diff may include updates still being written: it goes out once they are durable.
          room.afterCommitted(() => this.send(conn, reply))
        } else if (step === SYNC_STEP2 || step === SYNC_UPDATE) {
          this.onUpdate(conn, payload, step === SYNC_STEP2)
        } else {
          throw new Error(`unknown sync message ${step}`)
        }
        return
      }
      case MESSAGE.awareness: {
        // Only entries for ids this connection owns reach the room, re-encoded with its token's identity.
        const filtered = awarenessGuard(room).filter(conn, readPayload(decoder))
        if (!filtered.ok) return this.closeConnection(conn, CLOSE.invalidMessage, `${filtered.error}: ${filtered.message}`)
        if (filtered.dropped > 0) this.options.log.debug({ roomId: room.id, role: conn.actor.role, dropped: filtered.dropped }, 'awareness for others dropped')
        if (filtered.update) applyAwarenessUpdate(room.awareness, filtered.update, conn)
        return
      }
      case MESSAGE.queryAwareness: {
        this.send(conn, this.awarenessMessage(room, [...room.awareness.getStates().keys()]))
        return
      }
      default:
        throw new Error(`unknown message type ${type}`)
    }
  }

  private onUpdate(conn: Connection, update: Uint8Array, isStep2: boolean): void {
    const start = performance.now()
    let result: UpdateResult
    try {
      result = conn.room.applyUpdate(conn.actor, update, conn)
    } catch (err) {
      // Not the client's malformed frame (that is refused as a value): the room's state is unknown now.
      conn.room.breakDown(err, 'yjs update')
      return
    }
    if (result.ok) {
      if (result.applied) void result.committed.then(() => this.updateLatency.since(start))
      if (isStep2) this.synced(conn)
      return
    }
    if (isStep2 && (result.error === 'read_only' || result.error === 'locked')) this.synced(conn)
    this.refused(conn, result, update, isStep2)
  }

  private synced(conn: Connection): void {
    conn.synced = true
    const held = conn.held
    conn.held = []
    conn.heldBytes = 0
    for (const u of held) {
      if (conn.closed) return
      this.onUpdate(conn, u, false)
    }
  }

  private refused(conn: Connection, r: Refusal, update: Uint8Array, isStep2: boolean): void {
    switch (r.error) {
      case 'read_only':
        // Dropped: never applied, stored or broadcast.
        this.options.log.debug({ roomId: conn.room.id, role: conn.actor.role, reason: r.error }, 'update dropped')
        return
      case 'locked':
      case 'baseline_frozen':
        // Dropped too, but the editor's document now holds a change the room will never have (and every later
        // change depends on it): like a forbidden write, it starts over from the room's document.
        this.options.log.info({ roomId: conn.room.id, role: conn.actor.role, reason: r.error }, 'update refused')
        return this.closeConnection(conn, CLOSE.forbiddenWrite, `${r.error}: ${r.message}`)
      case 'missing_dependencies':
        // Typed while reconnecting: its base arrives with the client's sync step 2; hold it until then.
        if (!isStep2 && !conn.synced && conn.held.length < MAX_HELD_UPDATES && conn.heldBytes + update.length <= this.options.maxPayload) {
          conn.held.push(update)
          conn.heldBytes += update.length
          return
        }
        return this.closeConnection(conn, CLOSE.invalidMessage, `missing_dependencies: ${r.message}`)
      case 'forbidden_write':
        this.options.log.info({ roomId: conn.room.id, role: conn.actor.role, reason: r.message }, 'forbidden write refused')
        return this.closeConnection(conn, CLOSE.forbiddenWrite, `forbidden_write: ${r.message}`)
      case 'storage_failure':
        return this.closeConnection(conn, CLOSE.storageFailure, `storage_failure: ${r.message}`)
      case 'quota_exceeded':
        this.options.log.info({ roomId: conn.room.id, role: conn.actor.role, reason: r.message }, 'update over a room quota refused')
        return this.closeConnection(conn, CLOSE.quotaExceeded, `quota_exceeded: ${r.message}`)
      case 'room_broken':
        return this.closeConnection(conn, CLOSE.roomBroken, `room_broken: ${r.message}`)
      default:
        this.options.log.info({ roomId: conn.room.id, role: conn.actor.role, reason: r.message }, 'invalid update refused')
        return this.closeConnection(conn, CLOSE.invalidMessage, `${r.error}: ${r.message}`)
    }
  }

  private broadcastUpdate(room: Room, update: Uint8Array, origin: unknown): void {
    const channel = this.channels.get(room.id)
    if (!channel || channel.room !== room) return
    const msg = message((e) => {
      encoding.writeVarUint(e, MESSAGE.sync)
      encoding.writeVarUint(e, SYNC_UPDATE)
      encoding.writeVarUint8Array(e, update)
    })
    for (const c of channel.connections) if (c !== origin) this.send(c, msg)
  }

  private send(conn: Connection, msg: Uint8Array): void {
    if (conn.closed || conn.ws.readyState !== WebSocket.OPEN) return
    if (conn.ws.bufferedAmount > MAX_BUFFERED) {
      return this.closeConnection(conn, CLOSE.tryAgainLater, 'slow_consumer: too much unsent data')
    }
    conn.lastSent = Date.now()
    conn.ws.send(msg, (err) => {
      if (err) this.cleanup(conn)
    })
  }

  private keepalive(): void {
    const now = Date.now()
    for (const ch of this.channels.values()) {
      for (const c of ch.connections) if (now - c.lastSent >= this.keepaliveMs) this.send(c, KEEPALIVE)
    }
  }

  private ping(): void {
    for (const ch of this.channels.values()) {
      for (const c of [...ch.connections]) {
        if (!c.alive) {
          c.ws.terminate()
          this.cleanup(c)
          continue
        }
        c.alive = false
        try {
          c.ws.ping()
        } catch {
          this.cleanup(c)
        }
      }
    }
  }

  private closeConnection(conn: Connection, code: number, reason: string): void {
    if (conn.closed) return
    this.options.log.debug({ roomId: conn.room.id, code, reason }, 'closing yjs connection')
    try {
      conn.ws.close(code, closeReason(reason))
    } catch {
      conn.ws.terminate()
    }
    this.cleanup(conn)
  }

  /** Idempotent: whatever ended the connection, the room forgets it at once. */
  private cleanup(conn: Connection): void {
    conn.closed = true
    const channel = conn.channel
    if (!channel.connections.delete(conn)) return
    conn.held = []
    const owned = awarenessGuard(conn.room).release(conn)
    if (owned.length > 0 && !conn.room.isDisposed) removeAwarenessStates(conn.room.awareness, owned, null)
    if (channel.connections.size === 0) {
      channel.offAwareness()
      if (this.channels.get(conn.room.id) === channel) this.channels.delete(conn.room.id)
    }
    void conn.room.leave(conn.id)
    conn.lease.release()
    conn.slot?.release()
    if (this.options.rates) for (const b of [this.options.rates.yjsUpdates, this.options.rates.yjsBytes, this.options.rates.yjsMessages]) b.forget(conn.id)
  }
}
