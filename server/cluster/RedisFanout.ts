// The fan-out on Redis pub/sub (ioredis): one channel per room, plus one for heartbeats. A
// message is JSON; Yjs bytes travel as base64. Subscriptions follow the rooms a node has loaded.
import { randomBytes } from 'node:crypto'
import { Redis } from 'ioredis'
import type { ClusterMessage } from '../../shared/protocol/cluster.ts'
import { validateClusterMessage } from '../../shared/schema/cluster.schema.ts'
import type { Logger } from '../log.ts'
import type { Fanout, FanoutEvents, RoomMessage } from './Fanout.ts'

const PREFIX = 'nr:room:'
const HEARTBEAT = 'nr:nodes'

export interface RedisFanoutOptions {
  url: string
  log: Logger
  events: FanoutEvents
  heartbeatMs?: number
  /** A node not heard from for this long is gone. */
  lostAfterMs?: number
}

export class RedisFanout implements Fanout {
  readonly nodeId = randomBytes(6).toString('hex')
  /** For @socket.io/redis-adapter, which needs a publisher and a subscriber of its own. */
  readonly pub: Redis
  private readonly sub: Redis
  private readonly rooms = new Set<string>()
  private readonly lastHeard = new Map<string, number>()
  private readonly timer: NodeJS.Timeout
  private readonly lostAfterMs: number
  private closed = false
  private everReady = false

  private constructor(private readonly options: RedisFanoutOptions) {
    const heartbeatMs = options.heartbeatMs ?? 1000
    this.lostAfterMs = options.lostAfterMs ?? 5 * heartbeatMs
    // Commands wait in ioredis's offline queue while Redis is away; the store keeps the truth meanwhile.
    this.pub = new Redis(options.url, { lazyConnect: true, maxRetriesPerRequest: null })
    this.sub = new Redis(options.url, { lazyConnect: true, maxRetriesPerRequest: null })
    for (const [name, client] of [['publisher', this.pub], ['subscriber', this.sub]] as const) {
      client.on('error', (err: Error) => options.log.warn({ err: err.message, client: name }, 'redis connection problem'))
    }
    this.sub.on('messageBuffer', (channel: Buffer, data: Buffer) => this.onMessage(channel.toString(), data))
    this.sub.on('ready', () => {
      // ioredis re-subscribes by itself; whatever was published in between is lost: catch up.
      if (this.everReady) options.events.resubscribed()
      this.everReady = true
    })
    this.timer = setInterval(() => this.beat(), heartbeatMs)
    this.timer.unref()
  }

  static async connect(options: RedisFanoutOptions): Promise<RedisFanout> {
    const f = new RedisFanout(options)
    try {
      await Promise.all([f.pub.connect(), f.sub.connect()])
      await f.sub.subscribe(HEARTBEAT)
    } catch (err) {
      f.pub.disconnect()
      f.sub.disconnect()
      clearInterval(f.timer)
      throw new Error(`could not connect to Redis (REDIS_URL): ${(err as Error).message}`, { cause: err })
    }
    f.beat()
    return f
  }

  async subscribe(roomId: string): Promise<void> {
    this.rooms.add(roomId)
    await this.sub.subscribe(PREFIX + roomId)
  }

  async unsubscribe(roomId: string): Promise<void> {
    if (!this.rooms.delete(roomId) || this.closed) return
    await this.sub.unsubscribe(PREFIX + roomId)
  }

  publish(message: RoomMessage): void {
    if (this.closed) return
    this.send(PREFIX + message.roomId, message)
  }

  aliveNodes(): Set<string> {
    const now = Date.now()
    const alive = new Set([this.nodeId])
    for (const [node, at] of this.lastHeard) if (now - at < this.lostAfterMs) alive.add(node)
    return alive
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    clearInterval(this.timer)
    this.send(HEARTBEAT, { kind: 'heartbeat', node: this.nodeId, leaving: true })
    await Promise.allSettled([this.pub.quit(), this.sub.quit()])
  }

  private send(channel: string, message: ClusterMessage): void {
    // While Redis is away nothing piles up here: the others read what they missed from the store when
    // their subscription comes back (resubscribed) or when they next see a gap.
    if (this.pub.status !== 'ready') return
    this.pub.publish(channel, JSON.stringify(message)).catch((err: unknown) => {
      this.options.log.warn({ err: (err as Error).message, channel }, 'redis publish failed')
    })
  }

  private beat(): void {
    if (this.closed) return
    this.send(HEARTBEAT, { kind: 'heartbeat', node: this.nodeId })
    const now = Date.now()
    for (const [node, at] of this.lastHeard) {
      if (now - at >= this.lostAfterMs) this.lose(node)
    }
  }

  private lose(node: string): void {
    if (!this.lastHeard.delete(node)) return
    this.options.log.info({ node }, 'cluster node lost')
    this.options.events.nodeLost(node)
  }

  private onMessage(channel: string, data: Buffer): void {
    let parsed: unknown
    try {
      parsed = JSON.parse(data.toString('utf8'))
    } catch {
      return this.options.log.warn({ channel }, 'undecodable cluster message dropped')
    }
    const checked = validateClusterMessage(parsed)
    if (!checked.ok) return this.options.log.warn({ channel, error: checked.error }, 'invalid cluster message dropped')
    const m = checked.value
    if (m.node === this.nodeId) return
    if (m.kind === 'heartbeat') {
      if (m.leaving) return this.lose(m.node)
      if (!this.lastHeard.has(m.node)) this.options.log.info({ node: m.node }, 'cluster node joined')
      this.lastHeard.set(m.node, Date.now())
      return
    }
    if (channel !== PREFIX + m.roomId) return this.options.log.warn({ channel }, 'cluster message on the wrong channel dropped')
    // Any message proves its sender alive.
    this.lastHeard.set(m.node, Date.now())
    this.options.events.message(m.roomId, m)
  }
}
