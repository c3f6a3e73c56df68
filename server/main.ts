// CLI entry: reads the environment, starts the server, prints where it is (and the operator
// key, once, when it was just generated), and shuts down cleanly on SIGINT/SIGTERM.
import path from 'node:path'
import { startServer } from './app.ts'
import { configFromEnv } from './config.ts'
import { installProcessFaultHandlers } from './processFaults.ts'

// A configuration mistake (a short SECRET, a bad DATABASE_URL…) is one clear line, not a stack trace.
const server = await Promise.resolve()
  .then(() => startServer(configFromEnv()))
  .catch((err: unknown) => {
    process.stderr.write(`Negotiation room server did not start: ${(err as Error).message}\n`)
    process.exit(1)
  })
// Here, not in startServer: tests run several servers in one process.
installProcessFaultHandlers(server)
const shown = server.url.replace('127.0.0.1', 'localhost')
process.stdout.write(`Negotiation room server: ${shown}  (lobby: ${shown}/lobby)\n`)
if (server.operatorKeyGenerated) {
  // Printed once, never logged: it is kept in DATA_DIR and not shown again.
  process.stdout.write(
    `Operator key (generated now, kept in ${path.join(server.config.dataDir, 'operator.key')}):\n  ${server.operatorKey}\n`,
  )
}

let stopping = false
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) process.exit(1)
    stopping = true
    server.close().then(
      () => process.exit(0),
      (err: unknown) => {
        server.log.error({ err }, 'shutdown failed')
        process.exit(1)
      },
    )
  })
}
