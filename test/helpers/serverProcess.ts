// Runs the server in its own process (for kill -9 durability tests and the benchmark):
// configuration from the environment, then one JSON line {url, port, operatorKey, pid} on stdout.
// Answers "stats" on stdin with a JSON line of CPU and memory use.
import { PerformanceObserver, createHistogram, monitorEventLoopDelay } from 'node:perf_hooks'
import { createInterface } from 'node:readline'
import { startServer } from '../../server/app.ts'
import { configFromEnv } from '../../server/config.ts'
import type { SqliteStore } from '../../server/store/SqliteStore.ts'

const server = await startServer({ logLevel: 'warn', ...configFromEnv() })
process.stdout.write(JSON.stringify({ url: server.url, port: server.port, operatorKey: server.operatorKey, pid: process.pid }) + '\n')

/** The delay histogram holds the probe's intervals: a delay of d shows as LOOP_PROBE_MS + d. */
const LOOP_PROBE_MS = 5
const loopDelay = monitorEventLoopDelay({ resolution: LOOP_PROBE_MS })
const store = server.store as Partial<Pick<SqliteStore, 'appendLatency' | 'commitLatency'>>
loopDelay.enable()
/** Garbage-collection pauses (µs): a pause holds every update that arrives during it. */
const gcPauses = createHistogram()
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) gcPauses.record(Math.max(1, Math.round(e.duration * 1000)))
}).observe({ entryTypes: ['gc'] })

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
        loopDelayProbeMs: LOOP_PROBE_MS,
        gc: { count: gcPauses.count, totalMs: (gcPauses.count * gcPauses.mean) / 1000 || 0, maxMs: gcPauses.max / 1000 },
        // Where an update's time goes inside the server (absent for stores without these).
        updateLatency: server.yjs.updateLatency?.summary(),
        appendLatency: store.appendLatency?.summary(),
        commitLatency: store.commitLatency?.summary(),
        closes: server.closes.snapshot(),
      }) + '\n',
    )
  } else if (line.trim() === 'reset') {
    loopDelay.reset()
    gcPauses.reset()
    server.yjs.updateLatency?.reset()
    store.appendLatency?.reset()
    store.commitLatency?.reset()
    process.stdout.write('{}\n')
  } else if (line.trim() === 'close') {
    void server.close().then(() => process.exit(0))
  }
})
process.on('SIGTERM', () => void server.close().then(() => process.exit(0)))
