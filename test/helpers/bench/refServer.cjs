// The reference: y-websocket@1.5.4's own server logic (bin/utils.js setupWSConnection, with the
// ws version it ships with), no persistence, no auth. Prints {url, pid} as one JSON line.
'use strict'
const http = require('node:http')
const { createRequire } = require('node:module')

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
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address()
  process.stdout.write(JSON.stringify({ url: `http://127.0.0.1:${port}`, port, pid: process.pid }) + '\n')
})
process.on('SIGTERM', () => process.exit(0))
