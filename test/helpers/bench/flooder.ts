// The hostile client of test/bench/flood.bench.ts, run as a forked process: one borrower token
// sends `rate` small Yjs updates per second over a raw websocket and, when the server closes it,
// reconnects at once (it does not wait the retry delay an honest client waits).
import WebSocket from 'ws'
import * as encoding from 'lib0/encoding'
import * as Y from 'yjs'

export type ToFlooder = { type: 'prepare'; count: number } | { type: 'flood'; url: string; roomId: string; token: string; rate: number; seconds: number }
export type FromFlooder = { type: 'ready' } | { type: 'done'; offered: number; sent: number; connections: number; closes: Record<string, number> }

/** An update from a client of its own: it never depends on one the server may have refused. */
function update(n: number): Uint8Array {
  const doc = new Y.Doc()
  doc.getMap('terms').set('termMonths', 6 + (n % 354))
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, 0) // sync
  encoding.writeVarUint(e, 2) // update
  encoding.writeVarUint8Array(e, Y.encodeStateAsUpdate(doc))
  doc.destroy()
  return encoding.toUint8Array(e)
}

/** Made before the measurement starts, so the flooder's own CPU goes into sending; each distinct (a repeat changes nothing and is not stored). */
let pool: Uint8Array[] = []

async function flood(m: Extract<ToFlooder, { type: 'flood' }>): Promise<void> {
  let ws: WebSocket | null = null
  let sent = 0
  let connections = 0
  const closes: Record<string, number> = {}
  let stopped = false
  const connect = (): void => {
    if (stopped) return
    connections++
    const socket = new WebSocket(`${m.url.replace(/^http/, 'ws')}/yjs/${m.roomId}?token=${encodeURIComponent(m.token)}`)
    socket.on('open', () => {
      ws = socket
    })
    socket.on('unexpected-response', (_req, res) => {
      closes[`http ${res.statusCode}`] = (closes[`http ${res.statusCode}`] ?? 0) + 1
      setTimeout(connect, 20)
    })
    socket.on('close', (code) => {
      if (ws === socket) ws = null
      closes[String(code)] = (closes[String(code)] ?? 0) + 1
      setTimeout(connect, 20)
    })
    socket.on('error', () => {})
  }
  connect()
  const start = performance.now()
  /** Updates the schedule has produced; those due while no socket was open are never sent. */
  let offered = 0
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const due = Math.floor(((performance.now() - start) / 1000) * m.rate)
      for (; offered < due; offered++) {
        const socket = ws
        if (socket?.readyState !== WebSocket.OPEN) continue
        socket.send(pool[sent++ % pool.length]!)
      }
      if (performance.now() - start >= m.seconds * 1000) {
        clearInterval(timer)
        resolve()
      }
    }, 10)
  })
  stopped = true
  ;(ws as WebSocket | null)?.close()
  process.send!({ type: 'done', offered, sent, connections, closes } satisfies FromFlooder)
  setTimeout(() => process.exit(0), 100)
}

process.on('message', (m: ToFlooder) => {
  if (m.type === 'prepare') {
    pool = Array.from({ length: m.count }, (_, i) => update(i))
    process.send!({ type: 'ready' } satisfies FromFlooder)
  } else void flood(m)
})
