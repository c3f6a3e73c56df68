// Failed sign-ins, counted per account (the e-mail, in every organisation) and per client address, on
// rate-limiter-flexible: past either budget a sign-in is refused before any password is checked, the
// right one too (else the answer would confirm a guess), until the window has passed. The key is the
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

  /** 0 while a sign-in may be tried, else the ms until the spent budget allows again. */
  async blockedFor(email: string, address: string): Promise<number> {
    const [a, b] = await Promise.all([spent(this.account, emailKey(email)), spent(this.address, address)])
    return Math.max(a, b)
  }

  async failed(email: string, address: string): Promise<void> {
    await Promise.all([this.account?.penalty(emailKey(email), 1).catch(() => {}), this.address?.penalty(address, 1).catch(() => {})])
  }

  /** A successful sign-in forgives the account's failures (not the address's: it may be guessing others). */
  async succeeded(email: string): Promise<void> {
    await this.account?.delete(emailKey(email)).catch(() => {})
  }
}

async function spent(l: RateLimiterAbstract | null, key: string): Promise<number> {
  if (!l) return 0
  const res = await l.get(key).catch(() => null)
  return res && res.consumedPoints >= l.points ? Math.max(1, res.msBeforeNext) : 0
}
