// `node --expose-gc --import tsx test/bench/awarenessCycling.bench.ts [ids]`: one observer
// connection announces and removes awareness client ids as fast as it can (issue #14 §4, "cycling
// ids"), 4 ids per message; prints how far it got, how the server closed it, and what the room kept.
import * as encoding from 'lib0/encoding'
import WebSocket from 'ws'
import { closed, invite, rawYjs, startTestServer } from '../helpers/server.ts'

const N = Number(process.argv[2] ?? 200_000)
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {})

function cycle(first: number): Uint8Array {
  const inner = encoding.createEncoder()
  encoding.writeVarUint(inner, 8)
  for (let id = first; id < first + 4; id++) {
    encoding.writeVarUint(inner, id)
    encoding.writeVarUint(inner, 1)
    encoding.writeVarString(inner, JSON.stringify({ editing: null, user: { name: 'Li Na' } }))
    encoding.writeVarUint(inner, id)
    encoding.writeVarUint(inner, 2)
    encoding.writeVarString(inner, 'null')
  }
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, 1)
  encoding.writeVarUint8Array(e, encoding.toUint8Array(inner))
  return encoding.toUint8Array(e)
}

const server = await startTestServer()
const room = await server.createRoom()
const { ws } = await rawYjs(server, room.roomId, invite(room, 'observer'))
let end: { code: number; reason: string } | null = null
void closed(ws!).then((c) => (end = c))
gc()
const heap0 = process.memoryUsage().heapUsed
const t0 = Date.now()
let sent = 0
while (sent < N && ws!.readyState === WebSocket.OPEN) {
  ws!.send(cycle(1_000_000 + sent))
  sent += 4
  if (sent % 2000 === 0) await new Promise((r) => setImmediate(r))
}
// Let the server work through what was sent.
for (let i = 0; i < 200 && ws!.readyState === WebSocket.OPEN && (i < 10 || ws!.bufferedAmount > 0); i++) await new Promise((r) => setTimeout(r, 50))
await new Promise((r) => setTimeout(r, 500))
gc()
const awareness = server.registry.loaded(room.roomId)!.awareness
console.log(
  JSON.stringify({
    idsSent: sent,
    seconds: (Date.now() - t0) / 1000,
    close: end,
    awarenessClocksKept: awareness.meta.size,
    states: awareness.getStates().size,
    heapGrowthMiB: +((process.memoryUsage().heapUsed - heap0) / 2 ** 20).toFixed(1),
  }),
)
ws!.terminate()
await server.close()
