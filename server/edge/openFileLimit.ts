// How many files this process may open. Node raises its soft RLIMIT_NOFILE to the hard limit at
// start-up on its own; what the operating system allows beyond that is for the operator to set
// (README, "Scaling"), and a MAX_CONNECTIONS above it would fail as EMFILE under load instead of
// as a clean 503 at the door — so the server says so at start.
import fs from 'node:fs'

/** The soft "Max open files" of this process from /proc/self/limits, or null where that file does not exist. */
export function openFileLimit(limitsText: string | null = readLimits()): number | null {
  if (limitsText === null) return null
  const line = limitsText.split('\n').find((l) => l.startsWith('Max open files'))
  const soft = line?.slice('Max open files'.length).trim().split(/\s+/)[0]
  if (soft === undefined) return null
  if (soft === 'unlimited') return Number.POSITIVE_INFINITY
  const n = Number(soft)
  return Number.isInteger(n) && n > 0 ? n : null
}

function readLimits(): string | null {
  try {
    return fs.readFileSync('/proc/self/limits', 'utf8')
  } catch {
    return null
  }
}

/** Files the process needs besides its connections: the database, the log, attachments being written … */
export const FILE_HEADROOM = 256

/** A warning when MAX_CONNECTIONS does not fit under the open-file limit, or null. */
export function connectionLimitWarning(maxConnections: number, limit: number | null): string | null {
  if (limit === null || maxConnections + FILE_HEADROOM <= limit) return null
  return `MAX_CONNECTIONS ${maxConnections} does not fit under this process's open-file limit (${limit}, less ${FILE_HEADROOM} for its own files): raise the limit (ulimit -n / LimitNOFILE=) to at least ${maxConnections + FILE_HEADROOM} or lower MAX_CONNECTIONS`
}
