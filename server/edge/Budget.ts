// One kind of budget (Yjs updates, update bytes, awareness, socket.io events, HTTP requests) on
// rate-limiter-flexible: `burst` points per window of burst/rate seconds, so a steady `rate` per second
// passes and a burst of `burst` may come at once. Keys of one connection live in this process's memory;
// keys of a participant (room + role + token) live in Redis when the server has REDIS_URL, so the budget
// holds across processes, with an in-memory block once spent so a flood does not ask Redis per frame.
import type { Redis } from 'ioredis'
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible'

export interface BudgetRate {
  /** Points per second (0: unlimited). */
  rate: number
  /** Points that may be spent at once. */
  burst: number
  /**
   * Seconds a participant stays refused once they spent past the budget (default: the rest of the window).
   * Honest clients never get there; a flooder that does would otherwise get a fresh burst every window.
   */
  penaltyS?: number
}

export type Spent = { ok: true } | { ok: false; retryAfterMs: number }

const OK: Spent = { ok: true }

export class Budget {
  private readonly local: RateLimiterAbstract | null
  private readonly shared: RateLimiterAbstract | null

  constructor(
    readonly name: string,
    readonly limit: BudgetRate,
    redis?: Redis,
  ) {
    if (limit.rate <= 0 || limit.burst <= 0) {
      this.local = this.shared = null
      return
    }
    const options = { points: limit.burst, duration: limit.burst / limit.rate, keyPrefix: `rl:${name}` }
    this.local = new RateLimiterMemory(options)
    const participant = limit.penaltyS ? { ...options, blockDuration: limit.penaltyS } : options
    this.shared = redis
      ? new RateLimiterRedis({
          ...participant,
          storeClient: redis,
          // Spent: further frames are refused from memory until the window ends, without a Redis round trip.
          inMemoryBlockOnConsumed: limit.burst,
          // Redis away: each process keeps counting on its own rather than letting everything through or stalling.
          rejectIfRedisNotReady: true,
          insuranceLimiter: new RateLimiterMemory(participant),
        })
      : new RateLimiterMemory({ ...participant, keyPrefix: `rl:${name}:p` })
  }

  get unlimited(): boolean {
    return this.local === null
  }

  /** Spends `points` on this connection's key and on the participant's (either may be omitted). */
  async spend(keys: { connection?: string; participant?: string }, points = 1): Promise<Spent> {
    if (!this.local || !this.shared || points <= 0) return OK
    const spends: Promise<unknown>[] = []
    if (keys.connection !== undefined) spends.push(this.local.consume(keys.connection, points))
    if (keys.participant !== undefined) spends.push(this.shared.consume(keys.participant, points))
    const results = await Promise.allSettled(spends)
    let retryAfterMs = 0
    for (const r of results) {
      if (r.status === 'fulfilled') continue
      // A store error (not a verdict) lets the frame through: the in-memory insurance answers when Redis is away.
      if (r.reason instanceof RateLimiterRes) retryAfterMs = Math.max(retryAfterMs, r.reason.msBeforeNext, 1)
    }
    return retryAfterMs > 0 ? { ok: false, retryAfterMs } : OK
  }

  /** How long the participant's budget stays spent (0: it is not). Nothing is consumed. */
  async spentFor(participant: string): Promise<number> {
    if (!this.shared) return 0
    const res = await this.shared.get(participant).catch(() => null)
    return res && res.consumedPoints > this.limit.burst ? Math.max(1, res.msBeforeNext) : 0
  }

  /** Connection closed: its window is forgotten at once (participant windows expire by themselves). */
  forget(connection: string): void {
    void this.local?.delete(connection).catch(() => {})
  }
}

/** "retry in 3 s" — whole seconds, at least 1. */
export function retrySeconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000))
}
