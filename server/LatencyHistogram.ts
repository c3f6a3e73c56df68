// A latency distribution for the hot path (node's native HDR histogram: recording is ~50 ns,
// no allocation), read by the benchmark and by anyone profiling a live server.
import { createHistogram, type RecordableHistogram } from 'node:perf_hooks'

export interface LatencySummary {
  count: number
  /** Milliseconds. */
  p50: number
  p90: number
  p99: number
  max: number
}

export class LatencyHistogram {
  private readonly h: RecordableHistogram = createHistogram()

  /** A duration in milliseconds (kept at microsecond resolution). */
  record(ms: number): void {
    this.h.record(Math.max(1, Math.round(ms * 1000)))
  }

  /** Records the time since `start` (a performance.now() reading). */
  since(start: number): void {
    this.record(performance.now() - start)
  }

  summary(): LatencySummary {
    const h = this.h
    if (h.count === 0) return { count: 0, p50: 0, p90: 0, p99: 0, max: 0 }
    return { count: h.count, p50: h.percentile(50) / 1000, p90: h.percentile(90) / 1000, p99: h.percentile(99) / 1000, max: h.max / 1000 }
  }

  reset(): void {
    this.h.reset()
  }
}
