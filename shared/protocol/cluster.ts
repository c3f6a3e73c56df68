// What server processes tell each other (REDIS_URL): committed log events of a room in seq order,
// awareness (never stored), who is connected where, and that a process is alive.
import type { ArchiveEvent } from './eventLog.ts'
import type { ObserverLabel, Role } from './room.ts'

export interface ClusterIdentity {
  role: Role
  name: string
  label?: ObserverLabel
}

export type ClusterMessage =
  /** Published after the commit: the events exactly as stored (Yjs updates as base64). */
  | { kind: 'events'; node: string; roomId: string; events: ArchiveEvent[] }
  /** A y-protocols awareness update from a connection on `node`. */
  | { kind: 'awareness'; node: string; roomId: string; update: string }
  /** Who is connected to this room on `node` right now; `ask`: answer with yours (a node just loaded the room). */
  | { kind: 'presence'; node: string; roomId: string; online: ClusterIdentity[]; ask: boolean }
  /** Sent every second by every node; `leaving` on a clean shutdown. */
  | { kind: 'heartbeat'; node: string; leaving?: boolean }
