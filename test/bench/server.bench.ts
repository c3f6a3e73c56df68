// npm run bench:server -- --rooms 200 --edits 2 --seconds 20 --nodes 1
//
// R rooms × (2 editors + 1 observer) of real y-websocket@3 clients, in load-generator processes
// separate from the server. Each editor makes E edits/s (a term change or a keystroke in the
// clauses). Measures the latency from an edit to its arrival at the other editor (p50/p99),
// updates delivered per second, and the server process's CPU and RSS. The same load runs against
// the reference y-websocket@1.5.4 server (bin/utils.js, no persistence) and both are printed
// side by side.
//
// Fairness: both servers run for the whole bench and are measured in alternating segments
// (--rounds 4: ours, ref, ref, ours, ours, ref, ref, ours), each SECONDS / rounds long after its
// own warm-up, with fresh load processes of the same code; so a neighbour's burst of CPU or disk
// hits both alike. Each server gets SECONDS of measurement in total. The machine's load average is
// printed per segment. Event-loop delays are shown beyond the probe's own 5 ms period.
import { fork, spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import type { LatencySummary } from '../../server/LatencyHistogram.ts'
import { startChildServer } from '../helpers/childServer.ts'
import { startBenchCluster } from '../helpers/bench/clusterServers.ts'
import type { BenchRoom, FromClients, ToClients } from '../helpers/bench/loadClients.ts'
import { createRoomAt } from '../helpers/server.ts'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const HERE = path.join(ROOT, 'test/helpers/bench')

const { values: args } = parseArgs({
  options: {
    rooms: { type: 'string', default: '200' },
    edits: { type: 'string', default: '2' },
    seconds: { type: 'string', default: '20' },
    nodes: { type: 'string', default: '1' },
    'client-procs': { type: 'string', default: '2' },
    warmup: { type: 'string', default: '3' },
    rounds: { type: 'string', default: '4' },
    target: { type: 'string', default: 'both' },
    synchronous: { type: 'string', default: 'FULL' },
    /** 'inline' or 'thread'; unset: the server's default. */
    writer: { type: 'string', default: '' },
  },
})

const ROOMS = Number(args.rooms)
const EDITS = Number(args.edits)
const SECONDS = Number(args.seconds)
const NODES = Number(args.nodes)
const CLIENT_PROCS = Math.max(1, Math.min(Number(args['client-procs']), ROOMS))
const WARMUP_S = Number(args.warmup)
const ROUNDS = Math.max(1, Math.floor(Number(args.rounds)))
const SEGMENT_S = SECONDS / ROUNDS
if (!Number.isInteger(NODES) || NODES < 1) {
  console.error('--nodes must be a positive integer')
  process.exit(2)
}

/** What a server answers to "stats" (the reference only knows the loop delay). */
interface ServerStats {
  loopDelayP99Ms: number
  loopDelayMaxMs: number
  loopDelayProbeMs: number
  /** Rooms loaded (this server only). */
  rooms?: number
  heapUsed?: number
  gc?: { count: number; totalMs: number; maxMs: number }
  updateLatency?: LatencySummary
  appendLatency?: LatencySummary
  commitLatency?: LatencySummary
}

interface Target {
  name: string
  url: string
  /** The server's processes (CPU and RSS are summed over them). */
  pids: number[]
  /** Fresh rooms for each segment: every segment starts from new documents on both servers. */
  rooms: BenchRoom[][]
  ask<T>(command: string): Promise<T>
  stop(): Promise<void>
}

/** One measured segment of one server. */
interface Segment {
  target: string
  latencies: number[]
  edits: number
  received: number
  undelivered: number
  closes: number
  cpuMs: number
  elapsedMs: number
  peakRss: number
  baselineRss: number
  setupMs: number
  server: ServerStats
  clientLoopP99: number
  clientLoopProbe: number
  clientCpuMs: number
  load: [number, number]
}

interface Result {
  name: string
  p50: number
  p90: number
  p99: number
  max: number
  edits: number
  editsPerS: number
  updatesPerS: number
  undelivered: number
  closes: number
  cpuPct: number
  rssMiB: number
  rssPerRoomKiB: number
  setupMs: number
  serverLoopP99: number
  serverLoopMax: number
  clientLoopP99: number
  clientCpuPct: number
  gcPct: number
  gcMaxMs: number
  update?: LatencySummary
  append?: LatencySummary
  commit?: LatencySummary
}

const TICK = 100 // USER_HZ on Linux

function procStatsAll(pids: number[]): { cpuMs: number; rss: number } {
  const each = pids.map(procStats)
  return { cpuMs: each.reduce((s, x) => s + x.cpuMs, 0), rss: each.reduce((s, x) => s + x.rss, 0) }
}

function procStats(pid: number): { cpuMs: number; rss: number } {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8')
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  const cpuMs = ((Number(fields[11]) + Number(fields[12])) * 1000) / TICK
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8')
  const rss = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024
  return { cpuMs, rss }
}

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve()
    child.once('exit', () => resolve())
    child.kill('SIGTERM')
  })
}

async function startReference(): Promise<Target> {
  const child = spawn(process.execPath, [path.join(HERE, 'refServer.cjs')], { cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'] })
  const waiting: ((line: string) => void)[] = []
  createInterface({ input: child.stdout! }).on('line', (line) => waiting.shift()?.(line))
  const nextLine = (): Promise<string> => new Promise((resolve) => waiting.push(resolve))
  const info = JSON.parse(await nextLine()) as { url: string; pid: number }
  return {
    name: 'y-websocket 1.5.4',
    url: info.url,
    pids: [info.pid],
    rooms: Array.from({ length: ROUNDS }, (_, k) => Array.from({ length: ROOMS }, (_, i) => ({ roomId: `bench-${k}-${i}` }))),
    ask: async <T>(command: string): Promise<T> => {
      const answer = nextLine()
      child.stdin!.write(command + '\n')
      return JSON.parse(await answer) as T
    },
    stop: () => stopChild(child),
  }
}

async function startOurs(): Promise<Target> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'negotiation-bench-'))
  const server = await startChildServer({
    DATA_DIR: dataDir,
    PORT: '0',
    HOST: '127.0.0.1',
    // The last segment's rooms unload (snapshot, free) while the next one connects, as the
    // reference drops a document when its last client leaves.
    ROOM_IDLE_MS: '1000',
    LOG_LEVEL: 'warn',
    // Every load client connects from 127.0.0.1: the per-address cap would count them all as one office.
    MAX_CONNECTIONS_PER_ADDRESS: String(ROOMS * 3 + 64),
    ...(args.synchronous === 'NORMAL' ? { SQLITE_SYNCHRONOUS: 'NORMAL' } : {}),
    ...(args.writer ? { SQLITE_WRITER: args.writer } : {}),
  })
  const rooms: BenchRoom[][] = []
  for (let k = 0; k < ROUNDS; k++) {
    const set: BenchRoom[] = []
    for (let i = 0; i < ROOMS; i++) {
      const r = await createRoomAt(server, server.operatorKey, { title: `bench ${k}-${i}` })
      set.push({ roomId: r.roomId, tokens: { borrower: r.invites.borrower.token, lender: r.invites.lender.token, observer: r.invites.observer.token } })
    }
    rooms.push(set)
  }
  return {
    name: 'this server',
    url: server.url,
    pids: [server.pid],
    rooms,
    ask: server.ask,
    stop: async () => {
      await server.kill('SIGTERM')
      fs.rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

/** Merges what several processes answer to "stats": sums, and the worst of each percentile. */
function mergeStats(all: ServerStats[]): ServerStats {
  const max = (f: (s: ServerStats) => number | undefined): number => Math.max(...all.map((s) => f(s) ?? 0))
  const gcs = all.map((s) => s.gc).filter((g): g is NonNullable<ServerStats['gc']> => g !== undefined)
  return {
    loopDelayP99Ms: max((s) => s.loopDelayP99Ms),
    loopDelayMaxMs: max((s) => s.loopDelayMaxMs),
    loopDelayProbeMs: all[0]!.loopDelayProbeMs,
    rooms: all.reduce((n, s) => n + (s.rooms ?? 0), 0),
    heapUsed: all.reduce((n, s) => n + (s.heapUsed ?? 0), 0),
    ...(gcs.length ? { gc: { count: gcs.reduce((n, g) => n + g.count, 0), totalMs: gcs.reduce((n, g) => n + g.totalMs, 0), maxMs: Math.max(...gcs.map((g) => g.maxMs)) } } : {}),
    updateLatency: worst(all.map((s) => s.updateLatency)),
    appendLatency: worst(all.map((s) => s.appendLatency)),
    commitLatency: worst(all.map((s) => s.commitLatency)),
  }
}

/**
 * `count` processes on a PostgreSQL started here (fsync on) and, for more than one, a Redis: the
 * borrower of each room on one process, the lender on the next, so every measured edit crosses
 * from one process to another.
 */
async function startPgCluster(count: number): Promise<Target> {
  const cluster = await startBenchCluster(count, { ROOM_IDLE_MS: '1000', LOG_LEVEL: 'warn', MAX_CONNECTIONS_PER_ADDRESS: String(ROOMS * 3 + 64) })
  const nodes = cluster.nodes
  const rooms: BenchRoom[][] = []
  for (let k = 0; k < ROUNDS; k++) {
    const set: BenchRoom[] = []
    for (let i = 0; i < ROOMS; i++) {
      const r = await createRoomAt(nodes[i % count]!, cluster.operatorKey, { title: `bench ${k}-${i}` })
      const at = (n: number): string => nodes[(i + n) % count]!.url
      set.push({
        roomId: r.roomId,
        tokens: { borrower: r.invites.borrower.token, lender: r.invites.lender.token, observer: r.invites.observer.token },
        urls: { borrower: at(0), lender: at(1), observer: at(1) },
      })
    }
    rooms.push(set)
  }
  return {
    name: count > 1 ? `${count} processes (PostgreSQL + Redis)` : '1 process (PostgreSQL)',
    url: nodes[0]!.url,
    pids: nodes.map((n) => n.pid),
    rooms,
    ask: async <T>(command: string): Promise<T> => mergeStats(await Promise.all(nodes.map((n) => n.ask<ServerStats>(command)))) as T,
    stop: () => cluster.stop(),
  }
}

function message(child: ChildProcess, type: FromClients['type']): Promise<FromClients> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: FromClients): void => {
      if (m.type !== type) return
      child.off('message', onMessage)
      resolve(m)
    }
    child.on('message', onMessage)
    child.once('exit', (code) => reject(new Error(`load generator exited with ${code}`)))
  })
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

async function runSegment(t: Target, round: number, seconds: number): Promise<Segment> {
  const rooms = t.rooms[round]!
  const baselineRss = procStatsAll(t.pids).rss
  const clients = Array.from({ length: CLIENT_PROCS }, () =>
    fork(path.join(HERE, 'loadClients.ts'), [], { cwd: ROOT, execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }),
  )
  const t0 = performance.now()
  const ready = clients.map((c) => message(c, 'ready'))
  clients.forEach((c, i) => {
    const mine = rooms.filter((_, r) => r % CLIENT_PROCS === i)
    c.send({ type: 'setup', url: t.url, rooms: mine, editsPerSecond: EDITS } satisfies ToClients)
  })
  await Promise.all(ready)
  const setupMs = Math.round(performance.now() - t0)
  const loadStart = os.loadavg()[0]!
  process.stdout.write(`  ${t.name}: ${rooms.length * 3} clients synced in ${setupMs} ms; ${WARMUP_S} s warm-up, measuring ${seconds} s (load average ${loadStart.toFixed(2)})…`)

  const results = clients.map((c) => message(c, 'result'))
  for (const c of clients) c.send({ type: 'start', warmupMs: WARMUP_S * 1000, measureMs: seconds * 1000, drainMs: 2000 } satisfies ToClients)
  await sleep(WARMUP_S * 1000)
  await t.ask('reset')
  const before = procStatsAll(t.pids)
  const tStart = performance.now()
  let peakRss = before.rss
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, procStatsAll(t.pids).rss)
  }, 500)
  await sleep(seconds * 1000)
  clearInterval(sampler)
  const after = procStatsAll(t.pids)
  const elapsedMs = performance.now() - tStart
  const server = await t.ask<ServerStats>('stats')
  const outs = (await Promise.all(results)) as Extract<FromClients, { type: 'result' }>[]
  await Promise.all(clients.map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.once('exit', r)))))
  // Our server unloads the segment's rooms (snapshot, free) once they are idle: let it finish
  // before anything else is measured, so that work never lands in the other server's segment.
  for (let i = 0; i < 100; i++) {
    const { rooms: loaded } = await t.ask<{ rooms?: number }>('stats')
    if (!loaded) break
    await sleep(100)
  }
  const load: [number, number] = [loadStart, os.loadavg()[0]!]
  const latencies = outs.flatMap((o) => o.latencies)
  const sorted = [...latencies].sort((a, b) => a - b)
  const inServer =
    (server.updateLatency ? `, in server p99 ${fmt(server.updateLatency.p99, 2)} ms` : '') +
    (server.commitLatency?.count ? ` (commit p50 ${fmt(server.commitLatency.p50, 2)} / p99 ${fmt(server.commitLatency.p99, 2)} ms)` : '')
  process.stdout.write(
    ` p50 ${fmt(quantile(sorted, 0.5))} / p99 ${fmt(quantile(sorted, 0.99))} ms${inServer}, ` +
      `server loop delay p99 ${fmt(loopExcess(server.loopDelayP99Ms, server.loopDelayProbeMs))} ms` +
      (server.heapUsed ? `, heap ${fmt(server.heapUsed / 2 ** 20, 0)} MiB` : '') +
      (server.gc ? `, GC ${server.gc.count}× ${fmt(server.gc.totalMs, 0)} ms (max ${fmt(server.gc.maxMs)} ms)` : '') +
      `, load average ${load[1].toFixed(2)}\n`,
  )
  return {
    target: t.name,
    latencies,
    edits: outs.reduce((s, o) => s + o.edits, 0),
    received: outs.reduce((s, o) => s + o.received, 0),
    undelivered: outs.reduce((s, o) => s + o.undelivered, 0),
    closes: outs.reduce((s, o) => s + o.closes, 0),
    cpuMs: after.cpuMs - before.cpuMs,
    elapsedMs,
    peakRss,
    baselineRss,
    setupMs,
    server,
    clientLoopP99: Math.max(...outs.map((o) => o.loopDelayP99Ms)),
    clientLoopProbe: outs[0]?.loopDelayProbeMs ?? 0,
    clientCpuMs: outs.reduce((s, o) => s + o.cpuMs, 0),
    load,
  }
}

/** Event-loop delay beyond the probe's own period (the histogram holds whole intervals). */
const loopExcess = (ms: number, probe: number): number => Math.max(0, ms - probe)

function worst(xs: (LatencySummary | undefined)[]): LatencySummary | undefined {
  const present = xs.filter((x): x is LatencySummary => x !== undefined && x.count > 0)
  if (present.length === 0) return undefined
  return {
    count: present.reduce((s, x) => s + x.count, 0),
    p50: Math.max(...present.map((x) => x.p50)),
    p90: Math.max(...present.map((x) => x.p90)),
    p99: Math.max(...present.map((x) => x.p99)),
    max: Math.max(...present.map((x) => x.max)),
  }
}

function combine(name: string, segments: Segment[]): Result {
  const latencies = segments.flatMap((s) => s.latencies).sort((a, b) => a - b)
  const edits = segments.reduce((s, x) => s + x.edits, 0)
  const measuredS = segments.length * SEGMENT_S
  const peakRss = Math.max(...segments.map((s) => s.peakRss))
  return {
    name,
    p50: quantile(latencies, 0.5),
    p90: quantile(latencies, 0.9),
    p99: quantile(latencies, 0.99),
    max: latencies.at(-1) ?? NaN,
    edits,
    editsPerS: edits / measuredS,
    updatesPerS: segments.reduce((s, x) => s + x.received, 0) / measuredS,
    undelivered: segments.reduce((s, x) => s + x.undelivered, 0),
    closes: segments.reduce((s, x) => s + x.closes, 0),
    cpuPct: (segments.reduce((s, x) => s + x.cpuMs, 0) / segments.reduce((s, x) => s + x.elapsedMs, 0)) * 100,
    rssMiB: peakRss / 2 ** 20,
    rssPerRoomKiB: (peakRss - segments[0]!.baselineRss) / 1024 / ROOMS,
    setupMs: segments[0]!.setupMs,
    // Percentiles of separate segments cannot be merged: the worse segment is shown.
    serverLoopP99: Math.max(...segments.map((s) => loopExcess(s.server.loopDelayP99Ms, s.server.loopDelayProbeMs))),
    serverLoopMax: Math.max(...segments.map((s) => loopExcess(s.server.loopDelayMaxMs, s.server.loopDelayProbeMs))),
    clientLoopP99: Math.max(...segments.map((s) => loopExcess(s.clientLoopP99, s.clientLoopProbe))),
    clientCpuPct: (segments.reduce((s, x) => s + x.clientCpuMs, 0) / (measuredS * 1000)) * 100,
    gcPct: (segments.reduce((s, x) => s + (x.server.gc?.totalMs ?? NaN), 0) / segments.reduce((s, x) => s + x.elapsedMs, 0)) * 100,
    gcMaxMs: Math.max(...segments.map((s) => s.server.gc?.maxMs ?? NaN)),
    update: worst(segments.map((s) => s.server.updateLatency)),
    append: worst(segments.map((s) => s.server.appendLatency)),
    commit: worst(segments.map((s) => s.server.commitLatency)),
  }
}

function fmt(n: number | undefined, digits = 1): string {
  return n !== undefined && Number.isFinite(n) ? n.toFixed(digits) : '—'
}

function table(results: Result[]): string {
  const rows: [string, (r: Result) => string][] = [
    ['latency p50 (ms)', (r) => fmt(r.p50)],
    ['latency p90 (ms)', (r) => fmt(r.p90)],
    ['latency p99 (ms)', (r) => fmt(r.p99)],
    ['latency max (ms)', (r) => fmt(r.max)],
    ['edits/s', (r) => fmt(r.editsPerS, 0)],
    ['updates delivered/s', (r) => fmt(r.updatesPerS, 0)],
    ['edits not delivered', (r) => String(r.undelivered)],
    ['unexpected closes', (r) => String(r.closes)],
    ['server CPU (% of a core)', (r) => fmt(r.cpuPct)],
    ['server RSS peak (MiB)', (r) => fmt(r.rssMiB)],
    ['server RSS per room (KiB, above idle)', (r) => fmt(r.rssPerRoomKiB, 0)],
    ['connect + sync all (ms)', (r) => String(r.setupMs)],
    ['server event-loop delay p99 (ms)', (r) => fmt(r.serverLoopP99)],
    ['server event-loop delay max (ms)', (r) => fmt(r.serverLoopMax)],
    ['server GC pauses (% of wall time)', (r) => fmt(r.gcPct)],
    ['server GC pause max (ms)', (r) => fmt(r.gcMaxMs)],
    ['in server, arrival→broadcast p50 (ms)', (r) => fmt(r.update?.p50, 2)],
    ['in server, arrival→broadcast p99 (ms)', (r) => fmt(r.update?.p99, 2)],
    ['  of which append→committed p99 (ms)', (r) => fmt(r.append?.p99, 2)],
    ['  one commit (fsync) p50 (ms)', (r) => fmt(r.commit?.p50, 2)],
    ['  one commit (fsync) p99 (ms)', (r) => fmt(r.commit?.p99, 2)],
    ['  one commit (fsync) max (ms)', (r) => fmt(r.commit?.max, 1)],
    ['  updates per commit', (r) => (r.commit && r.append ? fmt(r.append.count / r.commit.count, 2) : '—')],
    ['load processes: loop delay p99 (ms)', (r) => fmt(r.clientLoopP99)],
    ['load processes: CPU (% of a core)', (r) => fmt(r.clientCpuPct)],
  ]
  const width = Math.max(...rows.map(([k]) => k.length)) + 2
  const col = Math.max(20, ...results.map((r) => r.name.length + 2))
  let out = ''.padEnd(width) + results.map((r) => r.name.padStart(col)).join('') + (results.length === 2 ? 'ratio'.padStart(10) : '') + '\n'
  for (const [label, get] of rows) {
    out += label.padEnd(width) + results.map((r) => get(r).padStart(col)).join('')
    if (results.length === 2 && /^(latency|server CPU|server RSS)/.test(label)) {
      const a = Number(get(results[0]!))
      const b = Number(get(results[1]!))
      out += (b > 0 ? `${(a / b).toFixed(2)}×` : '—').padStart(10)
    }
    out += '\n'
  }
  return out
}

console.log(
  `bench:server — ${ROOMS} rooms × (2 editors + 1 observer) = ${ROOMS * 3} y-websocket clients in ${CLIENT_PROCS} load process(es), ` +
    `${EDITS} edits/s per editor (${ROOMS * 2 * EDITS} edits/s), ${SECONDS} s per server in ${ROUNDS} round(s), ` +
    `${os.cpus().length} CPUs, node ${process.version}, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`,
)
const targets: Target[] = []
try {
  if (NODES > 1) {
    // Scaling out: N processes against one, both on PostgreSQL (SQLite cannot be shared).
    targets.push(await startPgCluster(NODES), await startPgCluster(1))
  } else {
    if (args.target !== 'ref') targets.push(await startOurs())
    if (args.target !== 'ours') targets.push(await startReference())
  }
  const segments = new Map<string, Segment[]>(targets.map((t) => [t.name, []]))
  for (let round = 0; round < ROUNDS; round++) {
    // ABBA: each server goes first as often as it goes second.
    const order = round % 2 === 0 ? targets : [...targets].reverse()
    for (const t of order) segments.get(t.name)!.push(await runSegment(t, round, SEGMENT_S))
  }
  const results = targets.map((t) => combine(t.name, segments.get(t.name)!))
  console.log('\n' + table(results))
  if (NODES > 1) {
    const [many, one] = results as [Result, Result]
    console.log(
      `scaling out: ${NODES} processes p99 ${fmt(many.p99)} ms vs 1 process ${fmt(one.p99)} ms (${(many.p99 / one.p99).toFixed(2)}×); ` +
        `delivered ${fmt(many.updatesPerS, 0)} vs ${fmt(one.updatesPerS, 0)} updates/s; every edit measured crossed from one process to another`,
    )
  }
  const ours = results.find((r) => r.name === 'this server')
  const ref = results.find((r) => r.name === 'y-websocket 1.5.4')
  if (ours) {
    const goals = [`p99 ${fmt(ours.p99)} ms ${ours.p99 <= 50 ? '≤' : '>'} 50 ms (synchronous=${args.synchronous}, every update committed before broadcast)`]
    if (ref) goals.push(`p99 ratio ${(ours.p99 / ref.p99).toFixed(2)}× ${ours.p99 <= 1.5 * ref.p99 ? '≤' : '>'} 1.5× the reference`)
    console.log('goal: ' + goals.join('; '))
    if (ours.update) {
      console.log(
        `p99 breakdown: end-to-end p99 ${fmt(ours.p99)} ms; inside the server p99 ${fmt(ours.update.p99, 2)} ms ` +
          `(append→commit p99 ${fmt(ours.append?.p99, 2)} ms); the rest is the network and the load processes ` +
          `(their event-loop delay p99 ${fmt(ours.clientLoopP99)} ms${ref ? `, ${fmt(ref.clientLoopP99)} ms with the reference` : ''}).`,
      )
    }
  }
} finally {
  for (const t of targets) await t.stop()
}
