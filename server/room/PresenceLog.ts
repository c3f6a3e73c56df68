// What the room's log says of each participant's presence, and when it may next say otherwise.
// Presence lines are debounced (300 connect/close cycles once wrote 600 lines and pushed the chat out
// of the history): a leave is written only after the participant has stayed away for a grace period,
// and not before a window has passed since their logged join, so a reconnect in between folds the
// pending leave away and writes no new join. Who is online (room:state) stays immediate: that is not the log.

export interface PresenceTiming {
  /** A leave is written once the participant has been away this long (ms). */
  leaveGraceMs: number
  /** At most one join per participant per window: a leave waits until this long after the logged join (ms). */
  joinWindowMs: number
}

/** The log follows every connection at once (tests of the log itself; the server passes its configuration). */
export const IMMEDIATE_PRESENCE: PresenceTiming = { leaveGraceMs: 0, joinWindowMs: 0 }

interface Logged {
  present: boolean
  /** ms since epoch of the join the log shows (0: unknown, e.g. loaded from the store). */
  joinedAt: number
}

export class PresenceLog {
  private readonly logged = new Map<string, Logged>()
  private readonly timers = new Map<string, NodeJS.Timeout>()
  private disposed = false

  constructor(readonly timing: PresenceTiming) {}

  /** The log shows a join or a leave of `key` (written here, by another process, or loaded). */
  saw(key: string, type: 'join' | 'leave', ts: number): void {
    this.logged.set(key, { present: type === 'join', joinedAt: type === 'join' ? ts : (this.logged.get(key)?.joinedAt ?? 0) })
  }

  /** The log shows `key` present (its last presence line is a join). */
  present(key: string): boolean {
    return this.logged.get(key)?.present ?? false
  }

  /** How long from now before a leave of `key` may be written, counting the grace from now. */
  leaveDelay(key: string, now: number): number {
    const joinedAt = this.logged.get(key)?.joinedAt ?? 0
    return Math.max(this.timing.leaveGraceMs, joinedAt + this.timing.joinWindowMs - now, 0)
  }

  /** How long from now before the window since the logged join of `key` has passed. */
  windowLeft(key: string, now: number): number {
    const joinedAt = this.logged.get(key)?.joinedAt ?? 0
    return Math.max(joinedAt + this.timing.joinWindowMs - now, 0)
  }

  /** Runs `fn` for `key` after `ms`, replacing what was pending for it. */
  schedule(key: string, ms: number, fn: () => void): void {
    this.cancel(key)
    if (this.disposed) return
    const timer = setTimeout(() => {
      this.timers.delete(key)
      fn()
    }, ms)
    // A pending presence line never keeps the process alive; unload and shutdown write what is pending.
    timer.unref()
    this.timers.set(key, timer)
  }

  cancel(key: string): void {
    const timer = this.timers.get(key)
    if (!timer) return
    clearTimeout(timer)
    this.timers.delete(key)
  }

  /** Keys with a line pending. */
  get pending(): string[] {
    return [...this.timers.keys()]
  }

  /** Frees every timer (Hocuspocus #1156: leaked timers kept rooms alive). */
  dispose(): void {
    this.disposed = true
    for (const t of this.timers.values()) clearTimeout(t)
    this.timers.clear()
  }
}
