// Per-address rate limit for the HTTP API on the shared budgets (rate-limiter-flexible): `rate` requests
// per second with `burst` at once; over it → 429 `{error: "rate_limited"}` with Retry-After. rate 0 disables it.
import type { RequestHandler } from 'express'
import type { Budget } from '../edge/Budget.ts'
import { retrySeconds } from '../edge/Budget.ts'
import { clientAddress } from '../edge/clientAddress.ts'
import { sendError } from './errors.ts'

export interface RateLimitOptions {
  budget: Budget
  /** Take the address from X-Forwarded-For's first entry (TRUST_PROXY). */
  trustProxy?: boolean
}

export function rateLimit(o: RateLimitOptions): RequestHandler {
  if (o.budget.unlimited) return (_req, _res, next) => next()
  return (req, res, next) => {
    const ip = clientAddress(req.socket.remoteAddress, req.headers, o.trustProxy ?? false) ?? 'unknown'
    o.budget.spend({ connection: ip }).then(
      (spent) => {
        if (spent.ok) return next()
        res.setHeader('Retry-After', String(retrySeconds(spent.retryAfterMs)))
        sendError(res, 'rate_limited', 'too many requests; slow down')
      },
      (err: unknown) => next(err),
    )
  }
}
