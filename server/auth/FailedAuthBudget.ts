// One budget of failed operator-key authentications for the whole server, whatever the client's
// address: the per-address HTTP limit alone lets a botnet guess by rotating addresses. Once it is
// spent, operator authentication answers 429 for everyone (the right key too: a key that still
// passed would tell the guesser it is right) until the minute is over.
import { RateLimiterMemory } from 'rate-limiter-flexible'

const KEY = 'operator-key'

export class FailedAuthBudget {
  private readonly limiter: RateLimiterMemory | null

  /** `perMinute` failures allowed in each minute; 0 turns the budget off. */
  constructor(perMinute: number) {
    this.limiter = perMinute > 0 ? new RateLimiterMemory({ points: perMinute, duration: 60 }) : null
  }

  /** 0 while failures may still be tried, else the ms until the budget refills. */
  async spentFor(): Promise<number> {
    const res = await this.limiter?.get(KEY)
    if (!res || res.remainingPoints > 0) return 0
    return Math.max(1, res.msBeforeNext)
  }

  /** One failed attempt is charged. */
  async failed(): Promise<void> {
    await this.limiter?.penalty(KEY, 1)
  }
}
