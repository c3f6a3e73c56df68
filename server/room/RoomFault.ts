// An exception inside one room's handling (a transport handler, a Yjs message, an HTTP route, a
// timer). It breaks that room only: the room is marked broken and dropped (RoomRegistry.evict,
// the path a storage failure already takes), its members are told, and the next load retries.
import { refuse, type Refusal } from '../../shared/protocol/errors.ts'

export class RoomFault extends Error {
  constructor(
    readonly roomId: string,
    /** Where it was caught: "yjs update", "socket.io confirm", "http GET /api/rooms/:id", "state timer"… */
    readonly where: string,
    cause: unknown,
  ) {
    super(`room ${roomId} broke in ${where}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause })
    this.name = 'RoomFault'
  }
}

/** The room an error is about, when it carries one (process-level logging names it). */
export function roomIdOf(err: unknown): string | undefined {
  const id = (err as { roomId?: unknown } | null)?.roomId
  return typeof id === 'string' ? id : undefined
}

export function roomBrokenRefusal(): Refusal {
  return refuse('room_broken', 'the room ran into a problem and is reopening; try again in a moment')
}
