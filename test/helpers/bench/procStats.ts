// CPU time and resident memory of server processes, read from /proc (Linux), for the benches.
import fs from 'node:fs'

const TICK = 100 // USER_HZ on Linux

/** Summed over the processes of one server. */
export function procStatsAll(pids: number[]): { cpuMs: number; rss: number } {
  const each = pids.map(procStats)
  return { cpuMs: each.reduce((s, x) => s + x.cpuMs, 0), rss: each.reduce((s, x) => s + x.rss, 0) }
}

export function procStats(pid: number): { cpuMs: number; rss: number } {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8')
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  const cpuMs = ((Number(fields[11]) + Number(fields[12])) * 1000) / TICK
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8')
  const rss = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024
  return { cpuMs, rss }
}
