// Metering of one Yjs connection's inbound messages: each is charged to the connection's and the
// participant's budgets (updates: count and bytes; anything else: messages and bytes) strictly in
// arrival order, because Yjs applies one client's updates causally and a later one must never
// overtake an earlier one that is still waiting for its verdict.
import { retrySeconds, type Spent } from './Budget.ts'
import type { RateLimits } from './RateLimits.ts'

export interface Inbox {
  tail: Promise<void>
  /** Messages (and their bytes) waiting for a verdict. */
  messages: number
  bytes: number
  /** Messages handed on so far; every FAIR_SHARE-th waits for the event loop to turn first. */
  handled?: number
}

/**
 * Waiting for verdicts (a Redis round trip) is bounded too: a flood cannot pile up behind it. ws hands over
 * every message of a TCP read at once, before any verdict, so this stays well above a burst.
 */
const MAX_WAITING_MESSAGES = 1024
const MAX_WAITING_BYTES = 8 * 1024 * 1024
/**
 * ws hands over every frame of one TCP read in one go, and verdicts resolve as microtasks: without a
 * pause, a burst of hundreds of updates from one connection would be applied and committed before any
 * other room's socket is read. Yielding to the event loop every few messages interleaves them.
 */
const FAIR_SHARE = 8
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

/**
 * Queues `buf` behind the connection's earlier messages; `then` gets its verdict. Returns a refusal at
 * once when too much is already waiting. `isUpdate`: the frame carries a document update (the receiver
 * peeks, so the wire format stays in server/transport/yjsMessages.ts).
 */
export function meterYjsMessage(
  inbox: Inbox,
  rates: RateLimits,
  keys: { connection: string; participant: string },
  buf: Uint8Array,
  isUpdate: boolean,
  then: (verdict: Spent) => void,
): Spent {
  if (inbox.messages >= MAX_WAITING_MESSAGES || inbox.bytes + buf.length > MAX_WAITING_BYTES) return { ok: false, retryAfterMs: 1000 }
  inbox.messages++
  inbox.bytes += buf.length
  const count = isUpdate ? rates.yjsUpdates : rates.yjsMessages
  const verdict = Promise.all([count.spend(keys, 1), rates.yjsBytes.spend(keys, buf.length)]).then(
    ([a, b]): Spent => (!a.ok ? a : b),
  )
  inbox.tail = inbox.tail
    .then(() => verdict)
    .then(async (v) => {
      inbox.handled = (inbox.handled ?? 0) + 1
      if (inbox.handled % FAIR_SHARE === 0) await nextTurn()
      inbox.messages--
      inbox.bytes -= buf.length
      then(v)
    })
    .catch(() => {})
  return { ok: true }
}

/** The close reason the browser shows, and from which it reads how long to wait. */
export function rateLimitedReason(retryAfterMs: number): string {
  return `rate_limited: too many changes at once; retry in ${retrySeconds(retryAfterMs)} s`
}
