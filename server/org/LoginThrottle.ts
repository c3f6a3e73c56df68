// Failed sign-ins, counted per account (the e-mail, in every organisation) and per client address, on
// rate-limiter-flexible: every attempt takes a point and a success gives it back, so only failures stay
// counted. Past either budget a sign-in is refused before any password is checked, the right one too
// (else the answer would confirm a guess), until the window has passed. The key is the
// e-mail as typed, whether or not such an account exists: the throttle tells nothing about accounts.
// With REDIS_URL the counts are shared by every process.
import type { Redis } from 'ioredis'
import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract } from 'rate-limiter-flexible'
import { emailKey } from '../store/OrgStore.ts'

export interface LoginThrottleOptions {
  /** Failures of one e-mail per window (0: no limit). */
  perAccount: number
  /** Failures from one address per window (0: no limit). */
  perAddress: number
  windowS: number
  redis?: Redis
}

function limiter(name: string, points: number, windowS: number, redis?: Redis): RateLimiterAbstract | null {
  if (points <= 0) return null
  const options = { points, duration: windowS, keyPrefix: `login-fail:${name}` }
  return redis
    ? new RateLimiterRedis({ ...options, storeClient: redis, rejectIfRedisNotReady: true, insuranceLimiter: new RateLimiterMemory(options) })
    : new RateLimiterMemory(options)
}

export class LoginThrottle {
  private readonly account: RateLimiterAbstract | null
  private readonly address: RateLimiterAbstract | null

  constructor(o: LoginThrottleOptions) {
    this.account = limiter('account', o.perAccount, o.windowS, o.redis)
    this.address = limiter('address', o.perAddress, o.windowS, o.redis)
  }

  /**
   * Takes one point of the account's and of the address's budget before the password is checked (so that many
   * guesses sent at once cannot all pass before the first failure is counted): 0 to go on, else the ms to wait.
   */
  async attempt(email: string, address: string): Promise<number> {
    const [a, b] = await Promise.all([take(this.account, emailKey(email)), take(this.address, address)])
    return Math.max(a, b)
  }

  /** A successful sign-in gives its point back, and forgives the account's failures (not the address's: it may be guessing others). */
  async succeeded(email: string, address: string): Promise<void> {
    await Promise.all([this.account?.delete(emailKey(email)).catch(() => {}), this.address?.reward(address, 1).catch(() => {})])
  }
}

async function take(l: RateLimiterAbstract | null, key: string): Promise<number> {
  if (!l) return 0
  try {
    await l.consume(key, 1)
    return 0
  } catch (err) {
    // A verdict carries msBeforeNext; a store error (Redis away, the insurance limiter failing too) lets the attempt through.
    const wait = (err as { msBeforeNext?: unknown }).msBeforeNext
    return typeof wait === 'number' ? Math.max(1, wait) : 0
  }
}
