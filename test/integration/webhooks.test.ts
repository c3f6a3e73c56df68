// Webhooks end to end: a real server sends its outbox to a real receiver on loopback, which is down at
// first, then answers 500, then 200. Every event arrives, in order per room, signed (checked with the
// documented helper), none lost; a retried delivery keeps its webhook-id; admins see and redeliver.
import { describe, expect, it } from 'vitest'
import type { AmendResponse } from '../../shared/protocol/http.ts'
import { WEBHOOK_EVENT_TYPES, type WebhookDeliveryList } from '../../server/webhooks/events.ts'
import { WEBHOOK_SOURCES } from '../../server/webhooks/webhookOf.ts'
import { emitAck, invite, startTestServer, waitFor, type TestServer } from '../helpers/server.ts'
import { joinAs, lock } from '../helpers/negotiation.ts'
import { closeAfterEach } from '../helpers/teardown.ts'
import { TEST_WEBHOOK_SECRET, seqsByRoom, startWebhookReceiver, type WebhookReceiver } from '../helpers/webhookReceiver.ts'

const FAST = { webhookSecret: TEST_WEBHOOK_SECRET, webhookPollMs: 50, webhookRetryBaseMs: 100, webhookRetryMaxMs: 400, webhookTimeoutMs: 2_000 }

async function deliveries(server: TestServer, status?: string): Promise<WebhookDeliveryList> {
  const res = await fetch(`${server.url}/api/webhooks/deliveries${status ? `?status=${status}` : ''}`, { headers: { Authorization: `Bearer ${server.operatorKey}` } })
  expect(res.status).toBe(200)
  return (await res.json()) as WebhookDeliveryList
}

/** Every event of these rooms' logs that causes a webhook, as `roomId:seq`. */
async function expectedEvents(server: TestServer, roomIds: string[]): Promise<string[]> {
  const out: string[] = []
  for (const id of roomIds) for (const e of await server.store.readEvents(id)) if (WEBHOOK_SOURCES.has(e.type)) out.push(`${id}:${e.seq}`)
  return out.sort()
}

describe('webhooks', () => {
  const t = closeAfterEach()

  async function setUp(extra: Record<string, unknown> = {}): Promise<{ server: TestServer; receiver: WebhookReceiver }> {
    const receiver = await startWebhookReceiver()
    t.add(() => receiver.close())
    const server = await startTestServer({ webhookUrl: receiver.url, ...FAST, ...extra })
    t.add(() => server.close())
    return { server, receiver }
  }

  it('delivers every event through an outage and 500s: in order per room, signed, duplicates by id, none lost', async () => {
    const { server, receiver } = await setUp()
    // The whole life of a room while the receiver is down: created, confirmed, locked, rated, amended.
    const one = await server.createRoom({ title: 'Loan 1' })
    const two = await server.createRoom({ title: 'Loan 2' })
    const borrower = t.track(await joinAs(server, one, 'borrower'))
    const lender = t.track(await joinAs(server, one, 'lender'))
    expect(await lock(borrower, lender)).toMatchObject({ ok: true })
    expect(await emitAck(borrower.socket, 'rating:submit', { stars: 5 })).toMatchObject({ ok: true })
    const amend = await fetch(`${server.url}/api/rooms/${one.roomId}/amend`, { method: 'POST', headers: { Authorization: `Bearer ${invite(one, 'lender')}` } })
    expect(amend.status).toBe(201)
    const amendment = (await amend.json()) as AmendResponse
    const b2 = t.track(await joinAs(server, two, 'borrower'))
    const h2 = b2.log.states.at(-1)!.currentHash
    expect(await emitAck(b2.socket, 'confirm', { hash: h2, fullName: 'Wang Fang' })).toMatchObject({ ok: true })

    const rooms = [one.roomId, two.roomId, amendment.roomId]
    const expected = await expectedEvents(server, rooms)
    expect(expected).toHaveLength(9)
    // Tried and failed while nothing listens.
    await waitFor(async () => (await deliveries(server, 'pending')).deliveries.some((d) => d.attempts >= 2 && d.lastError !== null), 'failed attempts while down', 10_000)
    expect(receiver.requests).toEqual([])

    receiver.answer = (n) => (n <= 4 ? 500 : 200)
    await receiver.up()
    await waitFor(async () => (await deliveries(server, 'delivered')).deliveries.length === expected.length, 'every event delivered', 20_000)

    const accepted = receiver.requests.filter((q) => q.status === 200)
    // Signed: every request verifies with the documented helper, under the id it carries.
    for (const q of receiver.requests) expect(q.verified).toMatchObject({ ok: true, id: q.id })
    // None lost, each accepted once here (no lease ran out), and nothing else sent.
    expect(accepted.map((q) => `${q.body.data.roomId}:${q.body.data.seq}`).sort()).toEqual(expected)
    expect(new Set(accepted.map((q) => q.id)).size).toBe(expected.length)
    // A retried delivery is the same event: same id, same body; only the attempt's timestamp differs.
    const refused = receiver.requests.filter((q) => q.status === 500)
    expect(refused).toHaveLength(4)
    for (const q of refused) expect(accepted.find((a) => a.id === q.id)?.raw).toBe(q.raw)
    // In order per room, counting every attempt.
    for (const [roomId, seqs] of seqsByRoom(receiver.requests)) expect(seqs, roomId).toEqual([...seqs].sort((a, b) => a - b))

    const types = accepted.filter((q) => q.body.data.roomId === one.roomId).map((q) => q.body.type)
    expect(types).toEqual(['room.created', 'room.confirmed', 'room.confirmed', 'room.locked', 'room.rated', 'room.amended'])
    const lockedBody = accepted.find((q) => q.body.type === 'room.locked')!.body
    expect(lockedBody.data).toMatchObject({ roomId: one.roomId, phase: 'locked', agreementHash: borrower.log.states.at(-1)!.agreementHash })
    // What a lender's system does with it: fetch the Fineract request of the locked room named in the event.
    const fineract = await fetch(`${server.url}/api/rooms/${lockedBody.data.roomId}/export/fineract?clientId=301&productId=4`, {
      headers: { Authorization: `Bearer ${server.operatorKey}` },
    })
    expect(fineract.status).toBe(200)
    expect(JSON.stringify(await fineract.json())).toContain('"clientId":301')
    expect(accepted.find((q) => q.body.type === 'room.amended')!.body.data).toMatchObject({ amendmentRoomId: amendment.roomId, role: 'lender' })
    expect(accepted.find((q) => q.body.data.roomId === amendment.roomId)!.body.data).toMatchObject({ amendmentOf: one.roomId })
    for (const q of accepted) expect(WEBHOOK_EVENT_TYPES).toContain(q.body.type)
    // Never a token, address or browser in a body.
    for (const q of accepted) for (const secret of [invite(one, 'borrower'), invite(one, 'lender'), '127.0.0.1']) expect(q.raw).not.toContain(secret)
  })

  it('parks a delivery as failed after its window, shows it to the operator, and redelivers it under the same id', async () => {
    const { server, receiver } = await setUp({ webhookMaxAgeMs: 600 })
    receiver.answer = () => 500
    await receiver.up()
    const room = await server.createRoom()
    await waitFor(async () => (await deliveries(server, 'failed')).deliveries.length === 1, 'parked as failed', 10_000)
    const [failed] = (await deliveries(server, 'failed')).deliveries
    expect(failed).toMatchObject({ id: `msg_${room.roomId}_1`, roomId: room.roomId, seq: 1, type: 'room.created', status: 'failed', lastStatus: 500, lastError: 'HTTP 500' })
    expect(failed!.attempts).toBeGreaterThanOrEqual(2)
    const tries = receiver.requests.length

    // Operator only; a room token is not enough, and the query is checked.
    const redeliverUrl = `${server.url}/api/webhooks/deliveries/${failed!.id}/redeliver`
    expect((await fetch(redeliverUrl, { method: 'POST' })).status).toBe(401)
    expect((await fetch(redeliverUrl, { method: 'POST', headers: { Authorization: `Bearer ${invite(room, 'lender')}` } })).status).toBe(403)
    expect((await fetch(`${server.url}/api/webhooks/deliveries?status=lost`, { headers: { Authorization: `Bearer ${server.operatorKey}` } })).status).toBe(400)
    const missing = await fetch(`${server.url}/api/webhooks/deliveries/msg_nope_1/redeliver`, { method: 'POST', headers: { Authorization: `Bearer ${server.operatorKey}` } })
    expect(missing.status).toBe(404)

    receiver.answer = () => 200
    const res = await fetch(redeliverUrl, { method: 'POST', headers: { Authorization: `Bearer ${server.operatorKey}` } })
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ delivery: { id: failed!.id, status: 'pending', attempts: 0 } })
    await waitFor(async () => (await deliveries(server, 'delivered')).deliveries.length === 1, 'redelivered', 10_000)
    const last = receiver.requests.at(-1)!
    expect(receiver.requests.length).toBe(tries + 1)
    expect(last).toMatchObject({ id: failed!.id, status: 200, verified: { ok: true } })
    expect((await deliveries(server)).deliveries).toEqual([expect.objectContaining({ id: failed!.id, status: 'delivered', lastError: null })])
  })

  it('a clean stop cuts a slow delivery off and the next start sends it again at once, under the same id', async () => {
    const { server, receiver } = await setUp({ webhookTimeoutMs: 60_000 })
    receiver.delayMs = 5_000
    await receiver.up()
    const room = await server.createRoom()
    await waitFor(() => receiver.inFlight === 1, 'a delivery in flight', 10_000)
    const started = Date.now()
    receiver.delayMs = 0
    const restarted = await server.restart()
    t.add(() => restarted.close())
    // Not after the 120 s lease: the stop gave the row back.
    await waitFor(async () => (await deliveries(restarted, 'delivered')).deliveries.length === 1, 'delivered after the restart', 10_000)
    expect(Date.now() - started).toBeLessThan(10_000)
    expect(receiver.requests.map((q) => q.id)).toEqual([`msg_${room.roomId}_1`, `msg_${room.roomId}_1`])
  })

  it('writes no outbox and sends nothing without WEBHOOK_URL; the list says so', async () => {
    const server = t.track(await startTestServer())
    await server.createRoom()
    expect(await deliveries(server)).toEqual({ enabled: false, deliveries: [] })
    expect(server.webhooks).toBeUndefined()
  })
})
