// Runs the server in its own process (for kill -9 durability tests and the benchmark):
// configuration from the environment, then one JSON line {url, port, operatorKey, pid} on stdout.
// Answers "stats" on stdin with a JSON line of CPU and memory use.
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { createInterface } from 'node:readline'
import { startServer } from '../../server/app.ts'
import { configFromEnv } from '../../server/config.ts'

const server = await startServer({ logLevel: 'warn', ...configFromEnv() })
process.stdout.write(JSON.stringify({ url: server.url, port: server.port, operatorKey: server.operatorKey, pid: process.pid }) + '\n')

const loopDelay = monitorEventLoopDelay({ resolution: 5 })
loopDelay.enable()

createInterface({ input: process.stdin }).on('line', (line) => {
  if (line.trim() === 'stats') {
    const cpu = process.cpuUsage()
    const mem = process.memoryUsage()
    process.stdout.write(
      JSON.stringify({
        cpuUserUs: cpu.user,
        cpuSystemUs: cpu.system,
        rss: mem.rss,
        heapUsed: mem.heapUsed,
        rooms: server.registry.loadedCount,
        loopDelayP99Ms: loopDelay.percentile(99) / 1e6,
        loopDelayMaxMs: loopDelay.max / 1e6,
      }) + '\n',
    )
  } else if (line.trim() === 'reset') {
    loopDelay.reset()
    process.stdout.write('{}\n')
  } else if (line.trim() === 'close') {
    void server.close().then(() => process.exit(0))
  }
})
process.on('SIGTERM', () => void server.close().then(() => process.exit(0)))
