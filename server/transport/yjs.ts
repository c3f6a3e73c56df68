// The y-websocket protocol at /yjs/<roomId>?token=… on y-protocols, so a stock y-websocket
// client syncs. Auth happens at the HTTP upgrade; every frame is decoded and checked here and
// handed to the Room, which decides; this file only sends what the room accepted.
import type { IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'
import { WebSocketServer, type WebSocket } from 'ws'
import { CLOSE } from '../../shared/protocol/yjs.ts'
import { tokenActor, type Tokens, type VerifiedToken } from '../auth/tokens.ts'
import type { TokenWatch } from '../auth/TokenWatch.ts'
import type { ConnectionLimits, ConnectionSlot } from '../edge/ConnectionLimits.ts'
import { originAllowed, type OriginPolicy } from '../edge/originCheck.ts'
import { participantKey, type RateLimits } from '../edge/RateLimits.ts'
import { rateLimitedReason } from '../edge/yjsInbox.ts'
import { LatencyHistogram } from '../LatencyHistogram.ts'
import type { Logger } from '../log.ts'
import { identityOf } from '../room/Presence.ts'
import type { Identity, Room } from '../room/Room.ts'
import { RoomFault, roomBrokenRefusal, roomIdOf } from '../room/RoomFault.ts'
import type { Lease, RoomRegistry } from '../room/RoomRegistry.ts'
import { refuseUpgrade } from './refuseUpgrade.ts'
import { YjsChannel } from './YjsChannel.ts'
import { YjsConnection, type ConnectionContext } from './YjsConnection.ts'
import { YjsMessageReceiver } from './YjsMessageReceiver.ts'
import { awarenessMessage, KEEPALIVE, syncStep1, syncUpdate } from './yjsMessages.ts'
import type { CloseCounts } from './CloseCounts.ts'

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
  /** Where closes the server decides on are counted (shared with socket.io). */
  closes: CloseCounts
}

export class YjsTransport {
  /** From an update's arrival to its broadcast: checks, apply, durable commit, fan-out. */
  readonly updateLatency = new LatencyHistogram()
  private readonly wss: WebSocketServer
  /** One channel per Room object: a reloaded room gets a new one, the old room's connections keep theirs. */
  private readonly channels = new Map<Room, YjsChannel>()
  private readonly receiver: YjsMessageReceiver
  private readonly context: ConnectionContext
  private readonly keepaliveMs: number
  private readonly timers: NodeJS.Timeout[] = []
  private readonly unsubscribe: () => void
  private closing = false

  constructor(private readonly options: YjsTransportOptions) {
    this.keepaliveMs = options.keepaliveMs ?? 12_000
    this.wss = new WebSocketServer({ noServer: true, maxPayload: options.maxPayload, perMessageDeflate: false })
    this.receiver = new YjsMessageReceiver(options.log, options.rates)
    this.context = {
      log: options.log,
      maxPayload: options.maxPayload,
      updateLatency: this.updateLatency,
      ended: (conn) => this.forget(conn),
      closedByServer: (reason, roomId) => options.closes.note('yjs', reason, { roomId }),
    }
    this.unsubscribe = options.registry.subscribe({
      update: (room, update, origin) => this.channels.get(room)?.broadcast(syncUpdate(update), origin),
      failed: (room, err) => {
        const channel = this.channels.get(room)
        if (!channel) return
        const [code, reason] = err instanceof RoomFault ? [CLOSE.roomBroken, `room_broken: ${roomBrokenRefusal().message}`] : [CLOSE.storageFailure, 'storage_failure: the room is reloading']
        for (const c of [...channel.connections]) c.close(code, reason)
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
    const deadline = setTimeout(() => {
      this.options.closes.note('yjs', 'upgrade_timeout: token check and room load took too long', { url: url.pathname })
      socket.destroy()
    }, this.options.upgradeTimeoutMs ?? 10_000)
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
    for (const ch of this.channels.values()) n += ch.size
    return n
  }

  /** Server shutdown: every connection is closed with 1001 (the client reconnects to the next server). */
  async close(): Promise<void> {
    this.closing = true
    this.unsubscribe()
    for (const t of this.timers) clearInterval(t)
    for (const c of this.allConnections()) c.close(CLOSE.goingAway, 'server_shutdown')
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

  private open(ws: WebSocket, lease: Lease, token: VerifiedToken, slot: ConnectionSlot | null, participant: string): void {
    const room = lease.room
    const identity: Identity = identityOf(token)
    const conn = new YjsConnection(this.context, { ws, lease, identity, actor: tokenActor(token), slot, participant })
    this.channel(room).add(conn)
    const unwatch = this.options.watch?.watch(token, (why) => conn.close(CLOSE.tokenExpired, `${why.error}: ${why.message}`))
    if (unwatch) ws.once('close', unwatch)
    // ws closes an oversized message with 1009 but no reason; say why first (y-websocket #189).
    const wsReceiver = (ws as unknown as { _receiver?: NodeJS.EventEmitter })._receiver
    wsReceiver?.prependListener('error', (err: Error & { code?: string }) => {
      if (err.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') {
        conn.close(CLOSE.tooLarge, `message_too_large: messages are limited to ${this.options.maxPayload} bytes`)
      }
    })
    ws.on('message', (data, isBinary) => this.receiver.receive(conn, data, isBinary))
    ws.on('close', () => conn.end())
    ws.on('error', (err) => this.options.log.debug({ err, roomId: room.id }, 'yjs socket error'))
    void room.join(identity, conn.id)
    this.options.log.debug({ roomId: room.id, role: token.role, conn: conn.id }, 'yjs connection opened')

    conn.send(syncStep1(room.doc))
    const states = room.awareness.getStates()
    if (states.size > 0) conn.send(awarenessMessage(room.awareness, [...states.keys()]))
  }

  private channel(room: Room): YjsChannel {
    let channel = this.channels.get(room)
    if (!channel) {
      channel = new YjsChannel(room)
      this.channels.set(room, channel)
    }
    return channel
  }

  /** A connection ended: its channel (and the channel itself once empty) and its budgets forget it. */
  private forget(conn: YjsConnection): void {
    const channel = this.channels.get(conn.room)
    if (channel?.remove(conn)) this.channels.delete(conn.room)
    const rates = this.options.rates
    if (rates) for (const b of [rates.yjsUpdates, rates.yjsBytes, rates.yjsMessages]) b.forget(conn.id)
  }

  private allConnections(): YjsConnection[] {
    return [...this.channels.values()].flatMap((ch) => [...ch.connections])
  }

  private keepalive(): void {
    const now = Date.now()
    for (const ch of this.channels.values()) for (const c of ch.connections) c.keepalive(now, this.keepaliveMs, KEEPALIVE)
  }

  private ping(): void {
    for (const c of this.allConnections()) c.heartbeat()
  }
}
