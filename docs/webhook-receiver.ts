// A sample webhook receiver for Negotiation Room (README "Webhooks"):
//   WEBHOOK_SECRET=whsec_… PORT=4000 npx tsx docs/webhook-receiver.ts
// It checks each delivery with the same helper the server's tests use (server/webhooks/verify.ts:
// the signature over id, timestamp and the raw body, and a timestamp at most 5 minutes old), drops a
// delivery it has already handled (same webhook-id), and prints one JSON line per event.
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { verifyWebhook } from '../server/webhooks/verify.ts'

const secret = process.env.WEBHOOK_SECRET
if (!secret) throw new Error('set WEBHOOK_SECRET to the whsec_… secret the server sends with')

// Deliveries come at least once: a real receiver keeps handled ids in its database (a unique key) for
// longer than the sender retries (24 h); a Set is enough for a sample.
const handled = new Set<string>()

const server = http.createServer((req, res) => {
  if (req.method !== 'POST') return void res.writeHead(405).end()
  const chunks: Buffer[] = []
  req.on('data', (c: Buffer) => chunks.push(c))
  req.on('end', async () => {
    // Verify the raw bytes: parsing and re-serialising the JSON would change what was signed.
    const raw = Buffer.concat(chunks).toString('utf8')
    const checked = await verifyWebhook(secret, req.headers, raw)
    if (!checked.ok) {
      process.stderr.write(`refused: ${checked.error} (${checked.message})\n`)
      return void res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ error: checked.error }))
    }
    if (handled.has(checked.id)) return void res.writeHead(200).end() // a retry of what we already have
    handled.add(checked.id)
    const { type, timestamp, data } = checked.body
    // Here a lender's system would act: on room.locked, fetch GET /api/rooms/<roomId>/export/fineract.
    process.stdout.write(`${JSON.stringify({ id: checked.id, type, timestamp, roomId: data.roomId, seq: data.seq, phase: data.phase })}\n`)
    res.writeHead(204).end()
  })
})

server.listen(Number(process.env.PORT ?? 4000), process.env.HOST ?? '127.0.0.1', () => {
  const { address, port } = server.address() as AddressInfo
  process.stdout.write(`webhook receiver listening on http://${address}:${port}/\n`)
})
