// npm run bench:server -- --rooms 200 --edits 2 --seconds 20 --nodes 1
//
// R rooms × (2 editors + 1 observer) of real y-websocket@3 clients, in load-generator processes
// separate from the server. Each editor makes E edits/s (a term change or a keystroke in the
// clauses). Measures the latency from an edit to its arrival at the other editor (p50/p99),
// updates delivered per second, and the server process's CPU and RSS. The same load then runs
// against the reference y-websocket@1.5.4 server (bin/utils.js, no persistence) and both are
// printed side by side.
import { fork, spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { startChildServer } from '../helpers/childServer.ts'
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
    target: { type: 'string', default: 'both' },
    synchronous: { type: 'string', default: 'FULL' },
    writer: { type: 'string', default: 'thread' },
  },
})

const ROOMS = Number(args.rooms)
const EDITS = Number(args.edits)
const SECONDS = Number(args.seconds)
const NODES = Number(args.nodes)
const CLIENT_PROCS = Math.max(1, Math.min(Number(args['client-procs']), ROOMS))
const WARMUP_S = Number(args.warmup)
if (NODES !== 1) {
  console.error('--nodes > 1 needs the PostgreSQL store and Redis fan-out (DATABASE_URL, REDIS_URL), which are not implemented yet.')
  process.exit(2)
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
}

const TICK = 100 // USER_HZ on Linux

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

async function startReference(): Promise<{ url: string; pid: number; stop(): Promise<void> }> {
  const child = spawn(process.execPath, [path.join(HERE, 'refServer.cjs')], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] })
  const line = await new Promise<string>((resolve) => createInterface({ input: child.stdout }).once('line', resolve))
  const info = JSON.parse(line) as { url: string; pid: number }
  return { ...info, stop: () => stopChild(child) }
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve()
    child.once('exit', () => resolve())
    child.kill('SIGTERM')
  })
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

type LoopStats = { loopDelayP99Ms: number; loopDelayMaxMs: number }

async function runLoad(
  name: string,
  url: string,
  serverPid: number,
  rooms: BenchRoom[],
  ask?: <T>(command: string) => Promise<T>,
): Promise<Result> {
  const baselineRss = procStats(serverPid).rss
  const clients = Array.from({ length: CLIENT_PROCS }, () =>
    fork(path.join(HERE, 'loadClients.ts'), [], { cwd: ROOT, execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }),
  )
  const t0 = performance.now()
  const ready = clients.map((c) => message(c, 'ready'))
  clients.forEach((c, i) => {
    const mine = rooms.filter((_, r) => r % CLIENT_PROCS === i)
    c.send({ type: 'setup', url, rooms: mine, editsPerSecond: EDITS } satisfies ToClients)
  })
  await Promise.all(ready)
  const setupMs = Math.round(performance.now() - t0)
  process.stdout.write(`  ${name}: ${rooms.length * 3} clients connected and synced in ${setupMs} ms; measuring ${SECONDS} s after ${WARMUP_S} s warm-up…\n`)

  const results = clients.map((c) => message(c, 'result'))
  for (const c of clients) c.send({ type: 'start', warmupMs: WARMUP_S * 1000, measureMs: SECONDS * 1000, drainMs: 2000 } satisfies ToClients)
  await new Promise((r) => setTimeout(r, WARMUP_S * 1000))
  if (ask) await ask('reset')
  const before = procStats(serverPid)
  const tStart = performance.now()
  let peakRss = before.rss
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, procStats(serverPid).rss)
  }, 500)
  await new Promise((r) => setTimeout(r, SECONDS * 1000))
  clearInterval(sampler)
  const after = procStats(serverPid)
  const loop = ask ? await ask<LoopStats>('stats') : null
  const elapsedMs = performance.now() - tStart
  const outs = (await Promise.all(results)) as Extract<FromClients, { type: 'result' }>[]
  await Promise.all(clients.map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.once('exit', r)))))

  const latencies = outs.flatMap((o) => o.latencies).sort((a, b) => a - b)
  const edits = outs.reduce((s, o) => s + o.edits, 0)
  return {
    name,
    p50: quantile(latencies, 0.5),
    p90: quantile(latencies, 0.9),
    p99: quantile(latencies, 0.99),
    max: latencies.at(-1) ?? NaN,
    edits,
    editsPerS: edits / SECONDS,
    updatesPerS: outs.reduce((s, o) => s + o.received, 0) / SECONDS,
    undelivered: outs.reduce((s, o) => s + o.undelivered, 0),
    closes: outs.reduce((s, o) => s + o.closes, 0),
    cpuPct: ((after.cpuMs - before.cpuMs) / elapsedMs) * 100,
    rssMiB: peakRss / 2 ** 20,
    rssPerRoomKiB: (peakRss - baselineRss) / 1024 / ROOMS,
    setupMs,
    serverLoopP99: loop?.loopDelayP99Ms ?? NaN,
    serverLoopMax: loop?.loopDelayMaxMs ?? NaN,
    clientLoopP99: Math.max(...outs.map((o) => o.loopDelayP99Ms)),
    clientCpuPct: (outs.reduce((s, o) => s + o.cpuMs, 0) / (SECONDS * 1000)) * 100,
  }
}

async function benchOurs(): Promise<Result> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'negotiation-bench-'))
  const server = await startChildServer({
    DATA_DIR: dataDir,
    PORT: '0',
    HOST: '127.0.0.1',
    ROOM_IDLE_MS: String(10 * 60_000),
    LOG_LEVEL: 'warn',
    ...(args.synchronous === 'NORMAL' ? { SQLITE_SYNCHRONOUS: 'NORMAL' } : {}),
    ...(args.writer === 'inline' ? { SQLITE_WRITER: 'inline' } : {}),
  })
  try {
    const rooms: BenchRoom[] = []
    for (let i = 0; i < ROOMS; i++) {
      const r = await createRoomAt(server, server.operatorKey, { title: `bench ${i}` })
      rooms.push({ roomId: r.roomId, tokens: { borrower: r.invites.borrower.token, lender: r.invites.lender.token, observer: r.invites.observer.token } })
    }
    return await runLoad('this server', server.url, server.pid, rooms, server.ask)
  } finally {
    await server.kill('SIGTERM')
    fs.rmSync(dataDir, { recursive: true, force: true })
  }
}

async function benchReference(): Promise<Result> {
  const ref = await startReference()
  try {
    const rooms: BenchRoom[] = Array.from({ length: ROOMS }, (_, i) => ({ roomId: `bench-${i}` }))
    return await runLoad('y-websocket 1.5.4', ref.url, ref.pid, rooms)
  } finally {
    await ref.stop()
  }
}

function fmt(n: number, digits = 1): string {
  return Number.isFinite(n) ? n.toFixed(digits) : '—'
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
    ['load processes: loop delay p99 (ms)', (r) => fmt(r.clientLoopP99)],
    ['load processes: CPU (% of a core)', (r) => fmt(r.clientCpuPct)],
  ]
  const width = Math.max(...rows.map(([k]) => k.length)) + 2
  const col = 20
  let out = ''.padEnd(width) + results.map((r) => r.name.padStart(col)).join('') + (results.length === 2 ? 'ratio'.padStart(10) : '') + '\n'
  for (const [label, get] of rows) {
    out += label.padEnd(width) + results.map((r) => get(r).padStart(col)).join('')
    if (results.length === 2 && /latency|CPU|RSS/.test(label)) {
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
    `${EDITS} edits/s per editor (${ROOMS * 2 * EDITS} edits/s), ${SECONDS} s, ${os.cpus().length} CPUs, node ${process.version}`,
)
const results: Result[] = []
if (args.target !== 'ref') results.push(await benchOurs())
if (args.target !== 'ours') results.push(await benchReference())
console.log('\n' + table(results))
const ours = results.find((r) => r.name === 'this server')
const ref = results.find((r) => r.name !== 'this server')
if (ours) {
  const goals = [`p99 ${fmt(ours.p99)} ms ${ours.p99 <= 50 ? '≤' : '>'} 50 ms (synchronous=${args.synchronous}, every update fsynced before broadcast)`]
  if (ref) goals.push(`p99 ratio ${(ours.p99 / ref.p99).toFixed(2)}× ${ours.p99 <= 1.5 * ref.p99 ? '≤' : '>'} 1.5× the reference`)
  console.log('goal: ' + goals.join('; '))
}
