// What bench:server prints: measured segments combined per server, and the side-by-side table.
import type { LatencySummary } from '../../../server/LatencyHistogram.ts'
import { loopExcess, worst, type ServerStats } from './serverStats.ts'

/** One measured segment of one server. */
export interface Segment {
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

export interface Result {
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

export function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!
}

export function combine(name: string, segments: Segment[], load: { rooms: number; segmentS: number }): Result {
  const latencies = segments.flatMap((s) => s.latencies).sort((a, b) => a - b)
  const edits = segments.reduce((s, x) => s + x.edits, 0)
  const measuredS = segments.length * load.segmentS
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
    rssPerRoomKiB: (peakRss - segments[0]!.baselineRss) / 1024 / load.rooms,
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

export function fmt(n: number | undefined, digits = 1): string {
  return n !== undefined && Number.isFinite(n) ? n.toFixed(digits) : '—'
}

export function table(results: Result[]): string {
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
