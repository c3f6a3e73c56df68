// How server processes that serve the same rooms hear of each other's changes (REDIS_URL).
// The database holds and orders the log; the fan-out only carries news of it, and may lose some:
// a room that sees a gap in seq reads the missing events from the store (server/room/LogFollower.ts).
import type { ClusterMessage } from '../../shared/protocol/cluster.ts'

export type RoomMessage = Exclude<ClusterMessage, { kind: 'heartbeat' }>

export interface FanoutEvents {
  /** A message about one room from another node. */
  message(roomId: string, message: RoomMessage): void
  /** A node stopped (no heartbeat for a while, or it said it is leaving): forget what it held. */
  nodeLost(node: string): void
  /** The subscription was re-established: messages may have been missed, every room catches up. */
  resubscribed(): void
}

export interface Fanout {
  /** This process's id in the cluster (random per start). */
  readonly nodeId: string
  /** Starts delivering the room's messages; resolves once the subscription is active. */
  subscribe(roomId: string): Promise<void>
  unsubscribe(roomId: string): Promise<void>
  /** Fire and forget: delivery is not guaranteed (the store is the truth). */
  publish(message: RoomMessage): void
  /** Nodes heard from recently, this one included. */
  aliveNodes(): Set<string>
  close(): Promise<void>
}
