// The fan-out inside one process: several rooms (or registries) that share one store talk through
// a hub, as processes do through Redis. It lets the room's cluster logic be tested without a network,
// and `drop` loses messages on purpose, as pub/sub may.
import type { Fanout, RoomMessage } from '../../../server/cluster/Fanout.ts'

export class LocalHub {
  private readonly members = new Map<string, LocalFanout>()
  /** Return true to lose this message (pub/sub does not guarantee delivery). */
  drop: (m: RoomMessage, to: string) => boolean = () => false
  /** Messages are delivered on a later turn, as from a socket. */
  private queue: { to: LocalFanout; m: RoomMessage }[] = []
  private scheduled = false

  join(nodeId: string, deliver: (roomId: string, m: RoomMessage) => void): LocalFanout {
    const f = new LocalFanout(nodeId, this, deliver)
    this.members.set(nodeId, f)
    return f
  }

  leave(nodeId: string): void {
    this.members.delete(nodeId)
  }

  nodes(): Set<string> {
    return new Set(this.members.keys())
  }

  send(m: RoomMessage): void {
    for (const [id, member] of this.members) {
      if (id === m.node || !member.subscribed.has(m.roomId) || this.drop(m, id)) continue
      this.queue.push({ to: member, m })
    }
    if (this.scheduled) return
    this.scheduled = true
    setImmediate(() => {
      this.scheduled = false
      const q = this.queue
      this.queue = []
      for (const { to, m } of q) to.deliver(m.roomId, m)
    })
  }
}

export class LocalFanout implements Fanout {
  readonly subscribed = new Set<string>()

  constructor(
    readonly nodeId: string,
    private readonly hub: LocalHub,
    readonly deliver: (roomId: string, m: RoomMessage) => void,
  ) {}

  async subscribe(roomId: string): Promise<void> {
    this.subscribed.add(roomId)
  }

  async unsubscribe(roomId: string): Promise<void> {
    this.subscribed.delete(roomId)
  }

  publish(message: RoomMessage): void {
    this.hub.send(message)
  }

  aliveNodes(): Set<string> {
    return this.hub.nodes()
  }

  async close(): Promise<void> {
    this.hub.leave(this.nodeId)
  }
}
