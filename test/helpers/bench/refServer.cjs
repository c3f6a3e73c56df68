// The reference: y-websocket@1.5.4's own server logic (bin/utils.js setupWSConnection, with the
// ws version it ships with), no persistence, no auth. Prints {url, pid} as one JSON line, then
// answers "reset" and "stats" on stdin like test/helpers/serverProcess.ts (event-loop delay,
// measured by the same probe), so both servers are observed the same way.
'use strict'
const http = require('node:http')
const { createRequire } = require('node:module')
const { PerformanceObserver, createHistogram, monitorEventLoopDelay } = require('node:perf_hooks')
const { createInterface } = require('node:readline')

const utilsPath = require.resolve('y-websocket-ref/bin/utils')
const { setupWSConnection } = require(utilsPath)
const WebSocket = createRequire(utilsPath)('ws')

const wss = new WebSocket.Server({ noServer: true })
const server = http.createServer((_req, res) => {
  res.writeHead(200, { 'Content-Type': 'text/plain' })
  res.end('okay')
})
wss.on('connection', setupWSConnection)
server.on('upgrade', (req, socket, head) => {
  wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req))
})

const LOOP_PROBE_MS = 5
const loopDelay = monitorEventLoopDelay({ resolution: LOOP_PROBE_MS })
loopDelay.enable()
const gcPauses = createHistogram()
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) gcPauses.record(Math.max(1, Math.round(e.duration * 1000)))
}).observe({ entryTypes: ['gc'] })
createInterface({ input: process.stdin }).on('line', (line) => {
  if (line.trim() === 'stats') {
    process.stdout.write(
      JSON.stringify({
        loopDelayP99Ms: loopDelay.percentile(99) / 1e6,
        loopDelayMaxMs: loopDelay.max / 1e6,
        loopDelayProbeMs: LOOP_PROBE_MS,
        heapUsed: process.memoryUsage().heapUsed,
        gc: { count: gcPauses.count, totalMs: (gcPauses.count * gcPauses.mean) / 1000 || 0, maxMs: gcPauses.max / 1000 },
      }) + '\n',
    )
  } else if (line.trim() === 'reset') {
    loopDelay.reset()
    gcPauses.reset()
    process.stdout.write('{}\n')
  }
})

server.listen(0, '127.0.0.1', () => {
  const { port } = server.address()
  process.stdout.write(JSON.stringify({ url: `http://127.0.0.1:${port}`, port, pid: process.pid }) + '\n')
})
process.on('SIGTERM', () => process.exit(0))
