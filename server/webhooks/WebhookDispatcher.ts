// Delivers the webhook outbox: at least once, in order per room, with back-off (backoff.ts) until the
// retry window closes, then parked as failed. Every process runs one; the store's claim (a lease, and
// SKIP LOCKED on PostgreSQL) makes sure that only one of them sends a given row at a time.
import { randomBytes } from 'node:crypto'
import os from 'node:os'
import type { Logger } from '../log.ts'
import type { ClaimedMessage, DeliveryOutcome, WebhookOutbox } from '../store/Store.ts'
import { nextAttemptAt, retryAfter, type RetryPolicy } from './backoff.ts'
import { webhookKey, webhookSignature } from './sign.ts'

export interface WebhookEndpoint {
  url: string
  /** `whsec_` + base64. */
  secret: string
}

export interface DispatcherOptions {
  endpoint: WebhookEndpoint
  retry: RetryPolicy
  /** One HTTP attempt's limit; the claim's lease is twice it, so a live sender never loses its claim mid-request. */
  timeoutMs: number
  /** How often an idle dispatcher looks for due rows. */
  pollMs: number
  /** Rows (so rooms) sent at once. */
  concurrency?: number
  log: Logger
  random?: () => number
}

export class WebhookDispatcher {
  /** This process's name on its claims. */
  readonly worker = `${os.hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`
  /** What this process sent since it started. */
  readonly counts = { attempts: 0, delivered: 0, retried: 0, parked: 0 }
  private readonly key: Buffer
  private readonly stopping = new AbortController()
  private wake: (() => void) | null = null
  private loop: Promise<void> | null = null

  constructor(
    private readonly outbox: WebhookOutbox,
    private readonly o: DispatcherOptions,
  ) {
    this.key = webhookKey(o.endpoint.secret)
  }

  start(): void {
    this.loop ??= this.run()
  }

  /** Looks for due rows now instead of at the next poll (an event was just appended). */
  nudge(): void {
    this.wake?.()
  }

  /** Stops claiming; a request in flight is cut off and its row is due again at once (for the next start). */
  async close(): Promise<void> {
    this.stopping.abort()
    this.wake?.()
    await this.loop
  }

  private get leaseMs(): number {
    return this.o.timeoutMs * 2
  }

  private async run(): Promise<void> {
    while (!this.stopping.signal.aborted) {
      let claimed: ClaimedMessage[] = []
      try {
        claimed = await this.outbox.claim(this.worker, Date.now(), this.leaseMs, this.o.concurrency ?? 8)
      } catch (err) {
        if (this.stopping.signal.aborted) break
        this.o.log.warn({ err: (err as Error).message }, 'webhook outbox claim failed')
      }
      if (claimed.length > 0) {
        await Promise.all(claimed.map((m) => this.deliver(m)))
        continue
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.o.pollMs)
        this.wake = () => {
          clearTimeout(timer)
          resolve()
        }
      })
      this.wake = null
    }
  }

  private async deliver(m: ClaimedMessage): Promise<void> {
    const outcome = await this.attempt(m)
    this.counts.attempts++
    if (outcome.status === 'delivered') this.counts.delivered++
    else if (outcome.status === 'retry') this.counts.retried++
    else this.counts.parked++
    try {
      await this.outbox.settle(m.id, this.worker, outcome)
    } catch (err) {
      // The lease runs out and the row is sent again: at least once.
      this.o.log.warn({ id: m.id, err: (err as Error).message }, 'webhook outcome not recorded; it will be sent again')
    }
    if (outcome.status === 'failed') this.o.log.warn({ id: m.id, roomId: m.roomId, attempts: m.attempts, error: outcome.error }, 'webhook parked as failed')
    else if (outcome.status === 'retry') this.o.log.debug({ id: m.id, attempts: m.attempts, error: outcome.error, nextAt: outcome.nextAt }, 'webhook attempt failed')
  }

  private async attempt(m: ClaimedMessage): Promise<DeliveryOutcome> {
    const timestamp = Math.floor(Date.now() / 1000)
    let httpStatus: number | null = null
    let error: string
    let notBefore = 0
    try {
      const res = await fetch(this.o.endpoint.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'negotiation-room-webhooks/1',
          'webhook-id': m.id,
          'webhook-timestamp': String(timestamp),
          'webhook-signature': webhookSignature(this.key, m.id, timestamp, m.body),
        },
        body: m.body,
        // A redirect is a failure (Standard Webhooks: update the URL instead of following).
        redirect: 'manual',
        signal: AbortSignal.any([AbortSignal.timeout(this.o.timeoutMs), this.stopping.signal]),
      })
      httpStatus = res.status
      await res.body?.cancel().catch(() => {})
      if (res.status >= 200 && res.status < 300) return { status: 'delivered', at: Date.now(), httpStatus }
      error = `HTTP ${res.status}`
      notBefore = retryAfter(res.headers.get('retry-after'), Date.now())
    } catch (err) {
      const e = err as Error & { cause?: { code?: string } }
      error = e.name === 'TimeoutError' ? `no answer within ${this.o.timeoutMs} ms` : (e.cause?.code ?? e.message)
    }
    const now = Date.now()
    // Cut off by shutdown: due again at once, for whichever process runs next.
    if (this.stopping.signal.aborted) return { status: 'retry', nextAt: now, error: 'sender stopped', httpStatus }
    const nextAt = nextAttemptAt(m.attempts, m.retryFrom, now, this.o.retry, notBefore, this.o.random)
    return nextAt === null ? { status: 'failed', error, httpStatus } : { status: 'retry', nextAt, error, httpStatus }
  }
}
