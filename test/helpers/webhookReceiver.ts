// A real webhook receiver on loopback for tests: down (nothing listens on its port) until up(), then it
// answers what `answer` says (500, 200, …), holds each request `delayMs`, and records every request it saw
// with its signature checked by the documented helper (server/webhooks/verify.ts).
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import type { WebhookBody } from '../../server/webhooks/events.ts'
import { verifyWebhook, type VerifiedWebhook } from '../../server/webhooks/verify.ts'
import { freePort } from './postgres.ts'

export interface ReceivedWebhook {
  id: string
  timestamp: number
  body: WebhookBody
  raw: string
  verified: VerifiedWebhook
  /** What this receiver answered (0: the connection was cut before it answered). */
  status: number
}

export interface WebhookReceiver {
  url: string
  /** Every request, in the order they arrived. */
  requests: ReceivedWebhook[]
  /** The status to answer a request with, given its place in arrival order (1 for the first). */
  answer: (n: number) => number
  delayMs: number
  /** Requests being held right now. */
  inFlight: number
  /** Ids that arrived while a request with the same id was still being held (sent twice at once). */
  overlaps: string[]
  up(): Promise<void>
  down(): Promise<void>
  close(): Promise<void>
}

const PENDING: VerifiedWebhook = { ok: false, error: 'missing_headers', message: 'not checked yet' }

export const TEST_WEBHOOK_SECRET = `whsec_${Buffer.from('negotiation-room-test-webhook-secret!').toString('base64')}`

export async function startWebhookReceiver(secret = TEST_WEBHOOK_SECRET): Promise<WebhookReceiver> {
  const port = await freePort()
  let server: http.Server | null = null
  const holding = new Set<string>()
  const r: WebhookReceiver = {
    url: `http://127.0.0.1:${port}/hooks/negotiation`,
    requests: [],
    answer: () => 200,
    delayMs: 0,
    inFlight: 0,
    overlaps: [],
    async up() {
      const s = http.createServer((req, res) => {
        const chunks: Buffer[] = []
        req.on('data', (c: Buffer) => chunks.push(c))
        req.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8')
          const id = String(req.headers['webhook-id'])
          if (holding.has(id)) r.overlaps.push(id)
          holding.add(id)
          r.inFlight++
          // Recorded at once (status 0 until answered), so a test sees what is in flight.
          const entry: ReceivedWebhook = { id, timestamp: Number(req.headers['webhook-timestamp']), body: JSON.parse(raw) as WebhookBody, raw, verified: PENDING, status: 0 }
          const n = r.requests.push(entry)
          void verifyWebhook(secret, req.headers, raw).then(async (verified) => {
            entry.verified = verified
            if (r.delayMs > 0) await new Promise((done) => setTimeout(done, r.delayMs))
            r.inFlight--
            holding.delete(id)
            entry.status = r.answer(n)
            res.writeHead(entry.status).end()
          })
        })
      })
      await new Promise<void>((resolve, reject) => {
        s.once('error', reject)
        s.listen(port, '127.0.0.1', () => resolve())
      })
      server = s
      if ((s.address() as AddressInfo).port !== port) throw new Error('receiver port moved')
    },
    async down() {
      const s = server
      server = null
      if (!s) return
      s.closeAllConnections()
      await new Promise<void>((resolve) => s.close(() => resolve()))
    },
    close: () => r.down(),
  }
  return r
}

/** Per room, the seqs of its requests in arrival order (a room's events must never go out of order). */
export function seqsByRoom(requests: readonly ReceivedWebhook[]): Map<string, number[]> {
  const out = new Map<string, number[]>()
  for (const q of requests) {
    const list = out.get(q.body.data.roomId) ?? []
    list.push(q.body.data.seq)
    out.set(q.body.data.roomId, list)
  }
  return out
}
