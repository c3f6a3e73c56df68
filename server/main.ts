// CLI entry: reads the environment, starts the server, prints where it is (and the operator key,
// on every start until it has been used once), and shuts down cleanly on SIGINT/SIGTERM.
import { startServer } from './app.ts'
import { configFromEnv } from './config.ts'
import { installProcessFaultHandlers } from './processFaults.ts'
import { startupMessage } from './startupError.ts'

// A configuration mistake (a short SECRET, a bad DATABASE_URL, a busy port…) is one clear line, not a stack trace.
let port: number | undefined
const server = await Promise.resolve()
  .then(() => {
    const config = configFromEnv()
    port = config.port
    return startServer(config)
  })
  .catch((err: unknown) => {
    process.stderr.write(`Negotiation room server did not start: ${startupMessage(err, port ?? 3000)}\n`)
    process.exit(1)
  })
// Here, not in startServer: tests run several servers in one process.
installProcessFaultHandlers(server)
const shown = server.url.replace('127.0.0.1', 'localhost')
process.stdout.write(`Negotiation room server: ${shown}  (lobby: ${shown}/lobby)\n`)
if (server.operatorKeyUnused) {
  // Never logged: shown on the terminal only, until the key has signed in once.
  process.stdout.write(
    `\n  Operator key: ${server.operatorKey}\n` +
      `  Sign in at ${shown}/lobby with it. It is kept in ${server.operatorKeyFile}` +
      ` and shown at every start until it is first used.\n\n`,
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
