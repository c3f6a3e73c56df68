// socket.io at /socket.io: chat, room state and the confirmation commands. The handshake
// carries the room token; each command is rate limited, validated, run by the Room, acked.
import type { Server as HttpServer } from 'node:http'
import { createAdapter } from '@socket.io/redis-adapter'
import type { Redis } from 'ioredis'
import { Server, type Socket } from 'socket.io'
import { refuse, type Refusal } from '../../shared/protocol/errors.ts'
import type { Actor } from '../../shared/protocol/room.ts'
import type { Ack, ClientToServerEvents, ServerToClientEvents } from '../../shared/protocol/socket.ts'
import { tokenActor, type Tokens, type VerifiedToken } from '../auth/tokens.ts'
import type { TokenWatch } from '../auth/TokenWatch.ts'
import { retrySeconds } from '../edge/Budget.ts'
import type { ConnectionLimits, ConnectionSlot } from '../edge/ConnectionLimits.ts'
import { originAllowed, type OriginPolicy } from '../edge/originCheck.ts'
import { participantKey, type RateLimits } from '../edge/RateLimits.ts'
import type { Logger } from '../log.ts'
import { identityOf } from '../room/Presence.ts'
import type { Identity, Room } from '../room/Room.ts'
import { RoomFault, roomBrokenRefusal } from '../room/RoomFault.ts'
import type { Lease, RoomRegistry } from '../room/RoomRegistry.ts'
import type { Store } from '../store/Store.ts'
import { oversized } from './payloadSize.ts'
import { SOCKET_COMMANDS, type CommandContext, type SocketCommand } from './socketCommands.ts'
import type { CloseCounts } from './CloseCounts.ts'

/** socket.io disconnect reasons that are the server's decision (the rest are the client or its network going away). */
const SERVER_DECIDED = new Set(['server namespace disconnect', 'server shutting down', 'ping timeout', 'forced close', 'parse error'])

export interface SocketTransportOptions {
  httpServer: HttpServer
  registry: RoomRegistry
  store: Store
  tokens: Tokens
  log: Logger
  /** Events per connection and per participant (shared with the Yjs budgets' store). */
  rates: RateLimits
  /** Open-connection caps shared with the Yjs endpoint. */
  limits?: ConnectionLimits
  /** Take the client's address from X-Forwarded-For (config TRUST_PROXY). */
  trustProxy?: boolean
  /** Browser origins allowed to connect (none given: any). */
  origins?: OriginPolicy
  /** With several server processes: socket.io's Redis adapter on a duplicate of this connection. */
  redis?: Redis
  /** Ends a socket whose token expires or is revoked while it is open (`session:ended`, then disconnect). */
  watch?: TokenWatch
  /** Largest frame (bytes, config maxPayload); each event has its own smaller limit (socketCommands.ts). */
  maxPayload?: number
  /** Where disconnects the server decides on are counted (shared with the Yjs endpoint). */
  closes: CloseCounts
}

/** "::ffff:10.0.0.1" → "10.0.0.1". */
function plainAddress(a: string): string {
  return a.startsWith('::ffff:') ? a.slice(7) : a
}

interface SocketData {
  token: VerifiedToken
  participant: string
  slot?: ConnectionSlot
}

type IoServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>
type IoSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>

/** connect_error carries `message` ("<code>: <text>") and `data: {error, message}`. */
function handshakeError(r: Refusal): Error & { data: { error: string; message: string } } {
  return Object.assign(new Error(`${r.error}: ${r.message}`), { data: { error: r.error, message: r.message } })
}

export class SocketTransport {
  readonly io: IoServer
  private readonly unsubscribe: () => void
  private adapterSub: Redis | null = null

  constructor(private readonly options: SocketTransportOptions) {
    this.io = new Server(options.httpServer, {
      path: '/socket.io',
      serveClient: false,
      // The Yjs endpoint authenticates asynchronously; engine.io must not end other upgrades after 1 s.
      destroyUpgrade: false,
      // Bigger frames close the connection; each event answers `too_large` above its own limit instead.
      maxHttpBufferSize: options.maxPayload ?? 1024 * 1024,
      // A foreign page must not open a socket with a token it got hold of (engine.io answers 403).
      allowRequest: (req, done) => {
        const full = options.limits?.admit(req)
        if (full) return done(`${full.error}: ${full.message}`, false)
        const ok = !options.origins || originAllowed(req, options.origins)
        done(ok ? null : 'this origin may not connect', ok)
      },
    })
    if (options.redis) {
      const pub = options.redis
      this.adapterSub = pub.duplicate()
      this.adapterSub.on('error', (err: Error) => options.log.warn({ err: err.message }, 'redis (socket.io adapter) connection problem'))
      this.io.adapter(createAdapter(pub, this.adapterSub))
    }
    this.io.use((socket, next) => {
      this.authenticate(socket).then(
        (r) => next(r ? handshakeError(r) : undefined),
        (err: unknown) => {
          options.log.error({ err }, 'socket.io handshake failed')
          next(handshakeError(refuse('unavailable', 'the room could not be opened')))
        },
      )
    })
    this.io.on('connection', (socket) => this.connected(socket))
    // Each process tells its own sockets what its room commits or follows from the log, in seq order
    // (io.local): through the adapter every client would hear each event once per process.
    this.unsubscribe = options.registry.subscribe({
      chat: (room, m) => this.io.local.to(room.id).emit('chat:message', m),
      event: (room, line) => this.io.local.to(room.id).emit('room:event', line),
      state: (room, state) => this.io.local.to(room.id).emit('room:state', state),
      watching: (room) => (this.io.sockets.adapter.rooms.get(room.id)?.size ?? 0) > 0,
      // Close the transport (not the socket) so the client reconnects into the reloaded room.
      failed: (room, err) => {
        const told = err instanceof RoomFault ? roomBrokenRefusal() : refuse('storage_failure', 'the room is reloading after a storage failure')
        for (const s of this.io.sockets.sockets.values()) {
          if (s.data.token?.room !== room.id) continue
          s.emit('room:error', { error: told.error as 'room_broken' | 'storage_failure', message: told.message })
          s.conn.close()
        }
      },
    })
  }

  async close(): Promise<void> {
    this.unsubscribe()
    await new Promise<void>((resolve) => {
      this.io.close(() => resolve())
    })
    await this.adapterSub?.quit().catch(() => {})
  }

  /** Null when the socket may connect, else why not. */
  private async authenticate(socket: IoSocket): Promise<Refusal | null> {
    const auth = (socket.handshake.auth ?? {}) as { token?: unknown; roomId?: unknown }
    const verified = await this.options.tokens.verify(auth.token)
    if (!verified.ok) return verified
    // A client may say which room it means; a token of another room opens nothing.
    const wanted = auth.roomId ?? socket.handshake.query.roomId
    if (wanted !== undefined && wanted !== verified.room) return refuse('forbidden', 'this token is for another room')
    const exists = this.options.registry.loaded(verified.room) ?? (await this.options.store.getRoom(verified.room))
    if (!exists) return refuse('not_found', 'no such room')
    const limits = this.options.limits
    if (limits) {
      const slot = limits.claim(auth.token as string, verified.room, limits.address(socket.request))
      if (!slot.ok) return slot
      socket.data.slot = slot
      // Whichever way the connection ends (even before 'connection'), its place is given back.
      socket.conn.once('close', () => slot.release())
    }
    socket.data.token = verified
    socket.data.participant = participantKey(verified.room, auth.token as string)
    return null
  }

  /** The client's address and browser, for the consent record of a confirmation (and a seat's organisation). */
  private context(socket: IoSocket): CommandContext {
    const headers = socket.handshake.headers
    let ip: string | null = socket.handshake.address ? plainAddress(socket.handshake.address) : null
    const forwarded = headers['x-forwarded-for']
    if (this.options.trustProxy && forwarded) {
      const first = (Array.isArray(forwarded) ? forwarded[0]! : forwarded).split(',')[0]!.trim()
      if (first) ip = plainAddress(first).slice(0, 100)
    }
    const ua = headers['user-agent']
    const orgName = socket.data.token.orgName
    const side = socket.data.token.side
    return {
      ip,
      userAgent: typeof ua === 'string' && ua !== '' ? ua.slice(0, 512) : null,
      ...(orgName ? { orgName } : {}),
      ...(side && side !== 'neutral' ? { side } : {}),
    }
  }

  private connected(socket: IoSocket): void {
    const token = socket.data.token
    const roomId = token.room
    const actor: Actor = tokenActor(token)
    const identity: Identity = identityOf(token)
    const keys = { connection: socket.id, participant: socket.data.participant }
    const context = this.context(socket)
    let lease: Lease | null = null
    let gone = false
    const unwatch = this.options.watch?.watch(token, (why) => {
      socket.emit('session:ended', why)
      socket.disconnect(true)
    })
    if (unwatch) socket.once('disconnect', unwatch)

    // Handlers are registered at once; commands wait for the room to be loaded.
    const ready: Promise<Room | null> = this.options.registry.acquire(roomId).then(
      (l) => {
        if (!l) {
          socket.disconnect(true)
          return null
        }
        if (gone) {
          l.release()
          return null
        }
        lease = l
        const room = l.room
        try {
          void room.join(identity, socket.id)
          // Join the broadcast group and send history in the same turn: no message is missed or doubled.
          void socket.join(roomId)
          socket.emit('chat:history', room.history())
          socket.emit('room:state', room.state)
        } catch (err) {
          // Issue #14: the hash of an oversized document threw here and took the whole process down.
          room.breakDown(err, 'socket.io join')
          return null
        }
        return room
      },
      (err: unknown) => {
        this.options.log.error({ err, roomId }, 'room failed to load for socket.io')
        if (err instanceof RoomFault) {
          // Closing the transport, not the socket: the client reconnects (with back-off) and the load is tried again.
          socket.emit('room:error', { error: 'room_broken', message: roomBrokenRefusal().message })
          socket.conn.close()
        } else socket.disconnect(true)
        return null
      },
    )

    for (const [event, command] of Object.entries(SOCKET_COMMANDS) as [keyof ClientToServerEvents, SocketCommand<unknown>][]) {
      socket.on(event, (...args: unknown[]) => {
        void this.run(event, command, args, keys, actor, context, ready)
      })
    }

    socket.on('disconnect', (reason) => {
      if (SERVER_DECIDED.has(reason)) this.options.closes.note('socketio', reason, { roomId: socket.data.token?.room })
      gone = true
      socket.data.slot?.release()
      this.options.rates.socketEvents.forget(socket.id)
      if (lease) {
        void lease.room.leave(socket.id)
        lease.release()
        lease = null
      }
    })
  }

  private async run(
    event: string,
    command: SocketCommand<unknown>,
    args: unknown[],
    keys: { connection: string; participant: string },
    actor: Actor,
    context: CommandContext,
    ready: Promise<Room | null>,
  ): Promise<void> {
    // emit('confirm:withdraw', ack) sends no payload: the ack is then the first argument.
    let [payload, ack] = args
    if (typeof payload === 'function' && ack === undefined) {
      ack = payload
      payload = undefined
    }
    const reply = (a: Ack<object>): void => {
      if (typeof ack === 'function') {
        try {
          ack(a)
        } catch (err) {
          this.options.log.warn({ err, event }, 'ack callback threw')
        }
      }
    }
    const spent = await this.options.rates.socketEvents.spend(keys)
    if (!spent.ok) {
      const refusal = refuse('rate_limited', `too many messages; retry in ${retrySeconds(spent.retryAfterMs)} s`)
      return reply({ ...refusal, retryAfterMs: spent.retryAfterMs })
    }
    const tooLarge = oversized(payload, command.maxBytes)
    if (tooLarge) return reply(tooLarge)
    const checked = command.validate(payload === undefined ? {} : payload)
    if (!checked.ok) return reply(refuse('invalid_payload', checked.error))
    const room = await ready
    if (!room) return reply(refuse('unavailable', 'the room is not available'))
    try {
      reply(await command.run(room, actor, checked.value, context))
    } catch (err) {
      // The room's state is unknown after an exception in its command: it breaks (and reloads), the others go on.
      // The ack goes out first: breaking the room closes this socket's transport.
      reply(roomBrokenRefusal())
      room.breakDown(err, `socket.io ${event}`)
    }
  }
}
