// npm run bench:flood -- --rooms 200 --edits 2 --seconds 10 --flood-rate 5000
//
// One hostile member against everyone else (issue #14 §2): R rooms of normal load (2 editors + 1
// observer each, real y-websocket@3 clients in load processes, as bench:server) measured twice on
// one server — quiet, then with one more client flooding its own room with FLOOD_RATE small Yjs
// updates per second for SECONDS (reconnecting at once whenever it is closed). Prints the other
// rooms' edit latency p50/p99 quiet vs flood and their ratio (goal: p99 within 1.2×), the flooder's
// offered, sent and accepted (stored) update rate, and the store's growth during each segment.
// --unlimited runs the same against a server without Yjs update limits, for comparison.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { childEnv, startChildServer, type ChildServer } from '../helpers/childServer.ts'
import { forkBenchProcess, loadOptions, message } from '../helpers/bench/benchProcesses.ts'
import { fmt, quantile } from '../helpers/bench/benchReport.ts'
import { benchServerEnv } from '../helpers/bench/benchTargets.ts'
import type { FromFlooder, ToFlooder } from '../helpers/bench/flooder.ts'
import type { BenchRoom, FromClients, ToClients } from '../helpers/bench/loadClients.ts'
import { createRoomAt } from '../helpers/server.ts'

const { values: args } = parseArgs({
  options: {
    ...loadOptions('10'),
    'flood-rate': { type: 'string', default: '5000' },
    unlimited: { type: 'boolean', default: false },
  },
})
const ROOMS = Number(args.rooms)
const EDITS = Number(args.edits)
const SECONDS = Number(args.seconds)
const FLOOD_RATE = Number(args['flood-rate'])
const CLIENT_PROCS = Math.max(1, Math.min(Number(args['client-procs']), ROOMS))
const WARMUP_S = Number(args.warmup)

interface Segment {
  latencies: number[]
  edits: number
  undelivered: number
  closes: number
  dbBytes: number
  storedUpdates: number
  flood?: Extract<FromFlooder, { type: 'done' }> & { stored: number }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))


/** The SQLite file and its WAL: what the log grew by. */
function dbBytes(dataDir: string): number {
  let n = 0
  for (const f of ['negotiation.db', 'negotiation.db-wal']) {
    try {
      n += fs.statSync(path.join(dataDir, f)).size
    } catch {
      // not there (yet)
    }
  }
  return n
}

/** Update events in a room's log, read through its archive like any member would. */
async function storedUpdates(server: ChildServer, room: BenchRoom): Promise<number> {
  const res = await fetch(`${server.url}/api/rooms/${room.roomId}/archive`, { headers: { Authorization: `Bearer ${room.tokens!.observer}` } })
  const archive = (await res.json()) as { events: { type: string }[] }
  return archive.events.filter((e) => e.type === 'update').length
}

async function createRooms(server: ChildServer, n: number, label: string): Promise<BenchRoom[]> {
  const rooms: BenchRoom[] = []
  for (let i = 0; i < n; i++) {
    const r = await createRoomAt(server, server.operatorKey, { title: `${label} ${i}` })
    rooms.push({ roomId: r.roomId, tokens: { borrower: r.invites.borrower.token, lender: r.invites.lender.token, observer: r.invites.observer.token } })
  }
  return rooms
}

async function runSegment(server: ChildServer, dataDir: string, rooms: BenchRoom[], flood: BenchRoom | null, name: string): Promise<Segment> {
  // The flooder makes its distinct updates before anything is measured.
  const flooder = flood ? forkBenchProcess('flooder.ts') : null
  if (flooder) {
    const prepared = message<FromFlooder>(flooder, 'ready')
    flooder.send({ type: 'prepare', count: FLOOD_RATE * SECONDS + 1000 } satisfies ToFlooder)
    await prepared
  }
  const clients = Array.from({ length: CLIENT_PROCS }, () => forkBenchProcess('loadClients.ts'))
  const ready = clients.map((c) => message<FromClients>(c, 'ready'))
  clients.forEach((c, i) => c.send({ type: 'setup', url: server.url, rooms: rooms.filter((_, r) => r % CLIENT_PROCS === i), editsPerSecond: EDITS } satisfies ToClients))
  await Promise.all(ready)
  process.stdout.write(`  ${name}: ${rooms.length * 3} clients synced; ${WARMUP_S} s warm-up, measuring ${SECONDS} s…`)
  const results = clients.map((c) => message<Extract<FromClients, { type: 'result' }>>(c, 'result'))
  for (const c of clients) c.send({ type: 'start', warmupMs: WARMUP_S * 1000, measureMs: SECONDS * 1000, drainMs: 2000 } satisfies ToClients)
  await sleep(WARMUP_S * 1000)
  const bytes0 = dbBytes(dataDir)
  const stored0 = flood ? await storedUpdates(server, flood) : 0
  let flooded: Promise<Extract<FromFlooder, { type: 'done' }>> | null = null
  if (flood && flooder) {
    flooded = message<Extract<FromFlooder, { type: 'done' }>>(flooder, 'done')
    flooder.send({ type: 'flood', url: server.url, roomId: flood.roomId, token: flood.tokens!.borrower, rate: FLOOD_RATE, seconds: SECONDS } satisfies ToFlooder)
  }
  const outs = await Promise.all(results)
  const floodResult = flooded ? await flooded : null
  await sleep(500)
  const seg: Segment = {
    latencies: outs.flatMap((o) => o.latencies).sort((a, b) => a - b),
    edits: outs.reduce((s, o) => s + o.edits, 0),
    undelivered: outs.reduce((s, o) => s + o.undelivered, 0),
    closes: outs.reduce((s, o) => s + o.closes, 0),
    dbBytes: dbBytes(dataDir) - bytes0,
    storedUpdates: 0,
    ...(floodResult && flood ? { flood: { ...floodResult, stored: (await storedUpdates(server, flood)) - stored0 } } : {}),
  }
  process.stdout.write(` p50 ${fmt(quantile(seg.latencies, 0.5))} / p99 ${fmt(quantile(seg.latencies, 0.99))} ms\n`)
  await Promise.all(clients.map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.once('exit', r)))))
  return seg
}

console.log(
  `bench:flood — ${ROOMS} rooms × 3 clients at ${EDITS} edits/s per editor, then the same plus one client flooding ${FLOOD_RATE} updates/s ` +
    `for ${SECONDS} s${args.unlimited ? ' (server WITHOUT Yjs update limits)' : ''}; ${os.cpus().length} CPUs, node ${process.version}, ` +
    `load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`,
)
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'negotiation-flood-'))
const server = await startChildServer(
  childEnv(dataDir, { ...benchServerEnv(ROOMS), ...(args.unlimited ? { YJS_UPDATE_RATE: '0', YJS_BYTES_RATE: '0', YJS_MESSAGE_RATE: '0' } : {}) }),
)
try {
  const quietRooms = await createRooms(server, ROOMS, 'quiet')
  const floodSetRooms = await createRooms(server, ROOMS, 'flood segment')
  const [floodRoom] = await createRooms(server, 1, 'flooded')
  const quiet = await runSegment(server, dataDir, quietRooms, null, 'quiet')
  await sleep(2000)
  const flood = await runSegment(server, dataDir, floodSetRooms, floodRoom!, 'flood')
  const q99 = quantile(quiet.latencies, 0.99)
  const f99 = quantile(flood.latencies, 0.99)
  const f = flood.flood!
  const rows: [string, string, string][] = [
    ['others: edit latency p50 (ms)', fmt(quantile(quiet.latencies, 0.5)), fmt(quantile(flood.latencies, 0.5))],
    ['others: edit latency p99 (ms)', fmt(q99), fmt(f99)],
    ['others: edits', String(quiet.edits), String(flood.edits)],
    ['others: edits not delivered', String(quiet.undelivered), String(flood.undelivered)],
    ['others: unexpected closes', String(quiet.closes), String(flood.closes)],
    ['store growth (DB + WAL bytes)', String(quiet.dbBytes), String(flood.dbBytes)],
  ]
  console.log('\n' + ''.padEnd(34) + 'quiet'.padStart(14) + 'flood'.padStart(14))
  for (const [k, a, b] of rows) console.log(k.padEnd(34) + a.padStart(14) + b.padStart(14))
  console.log(
    `\nflooder: offered ${f.offered} updates (${fmt(f.offered / SECONDS, 0)}/s), sent ${f.sent} (${fmt(f.sent / SECONDS, 0)}/s) over ${f.connections} connections, ` +
      `accepted and stored ${f.stored} (${fmt(f.stored / SECONDS, 1)}/s); closes ${JSON.stringify(f.closes)}`,
  )
  console.log(`goal: others' p99 ${fmt(f99)} ms vs quiet ${fmt(q99)} ms = ${(f99 / q99).toFixed(2)}× ${f99 <= 1.2 * q99 ? '≤' : '>'} 1.2×`)
} finally {
  await server.kill('SIGTERM')
  fs.rmSync(dataDir, { recursive: true, force: true })
}
