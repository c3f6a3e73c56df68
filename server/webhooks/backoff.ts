// When a failed delivery is tried again: exponential back-off with jitter, until the retry window
// (24 h by default) would be over; then the row is parked as failed for an admin to redeliver.

export interface RetryPolicy {
  /** The delay after the first failed attempt (doubling after each further one). */
  baseMs: number
  /** No single wait is longer than this. */
  capMs: number
  /** From the event (or an admin's redelivery) until the row is parked. */
  maxAgeMs: number
}

export const DEFAULT_RETRY: RetryPolicy = { baseMs: 5_000, capMs: 60 * 60_000, maxAgeMs: 24 * 3600_000 }

/**
 * The wait after `attempts` failed attempts (1 after the first): base·2^(attempts−1), capped, then
 * "equal jitter" — a uniform draw in its upper half — so that receivers back up after an outage are not
 * hit by every sender's retries at the same instant, while a wait never shrinks below half its step.
 */
export function retryDelay(attempts: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const step = Math.min(policy.capMs, policy.baseMs * 2 ** Math.min(Math.max(attempts - 1, 0), 40))
  return Math.round(step / 2 + random() * (step / 2))
}

/**
 * After a failed attempt at `now`: the time of the next one, or null to park the row (the next attempt
 * would fall after the window that began at `since`). `notBefore` is a receiver's Retry-After.
 */
export function nextAttemptAt(attempts: number, since: number, now: number, policy: RetryPolicy, notBefore = 0, random: () => number = Math.random): number | null {
  const at = Math.max(now + retryDelay(attempts, policy, random), notBefore)
  return at > since + policy.maxAgeMs ? null : at
}

/** Retry-After as a time (seconds or an HTTP date); 0 when absent or unreadable. */
export function retryAfter(header: string | null, now: number): number {
  if (!header) return 0
  if (/^\d+$/.test(header.trim())) return now + Number(header.trim()) * 1000
  const t = Date.parse(header)
  return Number.isFinite(t) ? t : 0
}
