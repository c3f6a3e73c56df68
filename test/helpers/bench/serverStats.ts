// What a server under bench reports about itself ("stats"), and how several reports combine.
import type { LatencySummary } from '../../../server/LatencyHistogram.ts'

/** What a server answers to "stats" (the reference only knows the loop delay). */
export interface ServerStats {
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
  /** Connections the server closed on its own decision since start, by `transport.reason`. */
  closes?: Record<string, number>
}

/** Merges what several processes answer to "stats": sums, and the worst of each percentile. */
export function mergeStats(all: ServerStats[]): ServerStats {
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
    closes: sumCounts(all.map((s) => s.closes ?? {})),
  }
}

function sumCounts(all: Record<string, number>[]): Record<string, number> {
  const out: Record<string, number> = {}
  for (const counts of all) for (const [k, n] of Object.entries(counts)) out[k] = (out[k] ?? 0) + n
  return out
}

/** "yjs.heartbeat_timeout 3, socketio.ping_timeout 1", or "none". */
export function closesText(closes: Record<string, number> | undefined): string {
  const entries = Object.entries(closes ?? {}).filter(([, n]) => n > 0)
  return entries.length ? entries.map(([k, n]) => `${k} ${n}`).join(', ') : 'none'
}

/** Event-loop delay beyond the probe's own period (the histogram holds whole intervals). */
export const loopExcess = (ms: number, probe: number): number => Math.max(0, ms - probe)

/** The worst of each percentile over several summaries (percentiles cannot be merged). */
export function worst(xs: (LatencySummary | undefined)[]): LatencySummary | undefined {
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
