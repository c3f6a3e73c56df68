// Every connection the server ends on its own decision (slow consumer, missed pong, rate limit,
// quota, expired token, upgrade that took too long …) is counted by reason and logged, so a
// load test or an operator can tell "the server dropped them" from "the clients went away".
import type { Logger } from '../log.ts'

/** The reason key of a close reason text: what comes before the first ':' ("slow_consumer: …" → "slow_consumer"). */
export function reasonKey(reason: string): string {
  const key = reason.split(':', 1)[0]!.trim()
  return /^[a-z0-9_ ]{1,40}$/i.test(key) ? key.replace(/ /g, '_') : 'other'
}

export class CloseCounts {
  private readonly counts = new Map<string, number>()

  constructor(private readonly log: Logger) {}

  /** Counts one server-decided close; `reason` is the close reason text or a reason key. */
  note(transport: 'yjs' | 'socketio', reason: string, fields: Record<string, unknown> = {}): void {
    const key = `${transport}.${reasonKey(reason)}`
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1)
    this.log.info({ ...fields, transport, reason: reasonKey(reason) }, 'server closed a connection')
  }

  /** Counts so far, by `transport.reason`, sorted by key (for /healthz). */
  snapshot(): Record<string, number> {
    return Object.fromEntries([...this.counts.entries()].sort(([a], [b]) => a.localeCompare(b)))
  }
}
