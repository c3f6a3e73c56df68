// Per-address rate limit for the HTTP API: a TokenBucket per client IP (`rate` requests per second,
// `burst` saved up); over the limit → 429 `{error: "rate_limited"}` with Retry-After. rate 0 disables it.
import type { RequestHandler } from 'express'
import { TokenBucket } from '../transport/TokenBucket.ts'
import { sendError } from './errors.ts'

export interface RateLimitOptions {
  rate: number
  burst: number
  /** Take the address from X-Forwarded-For's first entry (TRUST_PROXY). */
  trustProxy?: boolean
  /** Buckets kept at most; idle (refilled) ones are dropped first. */
  maxClients?: number
}

interface Entry {
  bucket: TokenBucket
  lastSeen: number
}

export function rateLimit(o: RateLimitOptions): RequestHandler {
  if (o.rate <= 0) return (_req, _res, next) => next()
  const buckets = new Map<string, Entry>()
  const maxClients = o.maxClients ?? 10_000
  // A bucket idle this long is full again: forgetting it changes nothing.
  const refillMs = (Math.max(1, o.burst) / o.rate) * 1000
  const retryAfter = String(Math.max(1, Math.ceil(1 / o.rate)))

  function prune(now: number): void {
    for (const [k, e] of buckets) if (now - e.lastSeen > refillMs) buckets.delete(k)
    // Still too many (a flood of addresses): drop the oldest; a dropped client starts with a full bucket.
    for (const k of buckets.keys()) {
      if (buckets.size <= maxClients) break
      buckets.delete(k)
    }
  }

  return (req, res, next) => {
    let ip = req.socket.remoteAddress ?? 'unknown'
    const forwarded = req.headers['x-forwarded-for']
    if (o.trustProxy && typeof forwarded === 'string' && forwarded.split(',')[0]!.trim()) ip = forwarded.split(',')[0]!.trim().slice(0, 100)
    const now = performance.now()
    let e = buckets.get(ip)
    if (!e) {
      if (buckets.size >= maxClients) prune(now)
      e = { bucket: new TokenBucket(o.rate, o.burst), lastSeen: now }
      buckets.set(ip, e)
    }
    e.lastSeen = now
    if (e.bucket.take()) return next()
    res.setHeader('Retry-After', retryAfter)
    sendError(res, 'rate_limited', 'too many requests; slow down')
  }
}
