// Process-level last resort (issue #14 §1). Every room's handlers catch their own exceptions and
// break only that room (server/room/RoomFault.ts); what still escapes is logged here with the room
// id when the error carries one.
// - unhandledRejection: a rejected promise unwound one callback, not a half-run synchronous
//   mutation of shared state; the room it names (if any) is broken and dropped, the process goes on.
// - uncaughtException: Node's guidance is that the process state is unknown afterwards. It is logged,
//   the server is closed (pending writes commit; every accepted change was stored before it was
//   broadcast) and the process exits 1 for its supervisor to restart it.
import type { RunningServer } from './app.ts'
import { roomIdOf } from './room/RoomFault.ts'

/** How long a clean close may take after an uncaught exception before the process exits anyway. */
const EXIT_GRACE_MS = 5_000

type FaultServer = Pick<RunningServer, 'log' | 'registry' | 'close'>

export interface ProcessFaultHandlers {
  unhandledRejection(reason: unknown): void
  uncaughtException(err: Error, origin: string): void
}

/** What the process does with an error that escaped every room's own handling (see the top of this file). */
export function processFaultHandlers(server: FaultServer, exit: (code: number) => void): ProcessFaultHandlers {
  let exiting = false
  return {
    unhandledRejection(reason) {
      const roomId = roomIdOf(reason)
      server.log.error({ err: reason, ...(roomId ? { roomId } : {}) }, 'unhandled promise rejection')
      if (roomId) server.registry.loaded(roomId)?.breakDown(reason, 'unhandled rejection')
    },
    uncaughtException(err, origin) {
      const roomId = roomIdOf(err)
      server.log.fatal({ err, origin, ...(roomId ? { roomId } : {}) }, 'uncaught exception; the process exits')
      if (exiting) return
      exiting = true
      setTimeout(() => exit(1), EXIT_GRACE_MS).unref()
      server.close().then(
        () => exit(1),
        () => exit(1),
      )
    },
  }
}

/** server/main.ts only: tests start several servers in one process. */
export function installProcessFaultHandlers(server: FaultServer, exit: (code: number) => void = (c) => process.exit(c)): () => void {
  const h = processFaultHandlers(server, exit)
  process.on('unhandledRejection', h.unhandledRejection)
  process.on('uncaughtException', h.uncaughtException)
  return () => {
    process.off('unhandledRejection', h.unhandledRejection)
    process.off('uncaughtException', h.uncaughtException)
  }
}
