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
import os from 'node:os'
import { parseArgs } from 'node:util'
import { forkBenchProcess, loadOptions, message } from '../helpers/bench/benchProcesses.ts'
import { combine, fmt, quantile, table, type Result, type Segment } from '../helpers/bench/benchReport.ts'
import { startOurs, startPgCluster, startReference, type BenchLoad, type Target } from '../helpers/bench/benchTargets.ts'
import type { FromClients, ToClients } from '../helpers/bench/loadClients.ts'
import { procStatsAll } from '../helpers/bench/procStats.ts'
import { closesText, loopExcess, type ServerStats } from '../helpers/bench/serverStats.ts'

const { values: args } = parseArgs({
  options: {
    ...loadOptions('20'),
    nodes: { type: 'string', default: '1' },
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
const LOAD: BenchLoad = { rooms: ROOMS, rounds: ROUNDS }
if (!Number.isInteger(NODES) || NODES < 1) {
  console.error('--nodes must be a positive integer')
  process.exit(2)
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

async function runSegment(t: Target, round: number, seconds: number): Promise<Segment> {
  const rooms = t.rooms[round]!
  const baselineRss = procStatsAll(t.pids).rss
  const clients = Array.from({ length: CLIENT_PROCS }, () => forkBenchProcess('loadClients.ts'))
  const t0 = performance.now()
  const ready = clients.map((c) => message<FromClients>(c, 'ready'))
  clients.forEach((c, i) => {
    const mine = rooms.filter((_, r) => r % CLIENT_PROCS === i)
    c.send({ type: 'setup', url: t.url, rooms: mine, editsPerSecond: EDITS } satisfies ToClients)
  })
  await Promise.all(ready)
  const setupMs = Math.round(performance.now() - t0)
  const loadStart = os.loadavg()[0]!
  process.stdout.write(`  ${t.name}: ${rooms.length * 3} clients synced in ${setupMs} ms; ${WARMUP_S} s warm-up, measuring ${seconds} s (load average ${loadStart.toFixed(2)})…`)

  const results = clients.map((c) => message<FromClients>(c, 'result'))
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
      `, load average ${load[1].toFixed(2)}` +
      (server.closes ? `, server-decided closes: ${closesText(server.closes)}` : '') +
      '\n',
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

console.log(
  `bench:server — ${ROOMS} rooms × (2 editors + 1 observer) = ${ROOMS * 3} y-websocket clients in ${CLIENT_PROCS} load process(es), ` +
    `${EDITS} edits/s per editor (${ROOMS * 2 * EDITS} edits/s), ${SECONDS} s per server in ${ROUNDS} round(s), ` +
    `${os.cpus().length} CPUs, node ${process.version}, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`,
)
const targets: Target[] = []
try {
  if (NODES > 1) {
    // Scaling out: N processes against one, both on PostgreSQL (SQLite cannot be shared).
    targets.push(await startPgCluster(NODES, LOAD), await startPgCluster(1, LOAD))
  } else {
    if (args.target !== 'ref') targets.push(await startOurs(LOAD, { synchronous: args.synchronous, writer: args.writer }))
    if (args.target !== 'ours') targets.push(await startReference(LOAD))
  }
  const segments = new Map<string, Segment[]>(targets.map((t) => [t.name, []]))
  for (let round = 0; round < ROUNDS; round++) {
    // ABBA: each server goes first as often as it goes second.
    const order = round % 2 === 0 ? targets : [...targets].reverse()
    for (const t of order) segments.get(t.name)!.push(await runSegment(t, round, SEGMENT_S))
  }
  const results = targets.map((t) => combine(t.name, segments.get(t.name)!, { rooms: ROOMS, segmentS: SEGMENT_S }))
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
