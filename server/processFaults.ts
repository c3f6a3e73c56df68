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

export function installProcessFaultHandlers(server: Pick<RunningServer, 'log' | 'registry' | 'close'>, exit: (code: number) => void = (c) => process.exit(c)): () => void {
  const onRejection = (reason: unknown): void => {
    const roomId = roomIdOf(reason)
    server.log.error({ err: reason, ...(roomId ? { roomId } : {}) }, 'unhandled promise rejection')
    if (roomId) server.registry.loaded(roomId)?.breakDown(reason, 'unhandled rejection')
  }
  let exiting = false
  const onException = (err: Error, origin: string): void => {
    const roomId = roomIdOf(err)
    server.log.fatal({ err, origin, ...(roomId ? { roomId } : {}) }, 'uncaught exception; the process exits')
    if (exiting) return
    exiting = true
    setTimeout(() => exit(1), EXIT_GRACE_MS).unref()
    server.close().then(
      () => exit(1),
      () => exit(1),
    )
  }
  process.on('unhandledRejection', onRejection)
  process.on('uncaughtException', onException)
  return () => {
    process.off('unhandledRejection', onRejection)
    process.off('uncaughtException', onException)
  }
}
