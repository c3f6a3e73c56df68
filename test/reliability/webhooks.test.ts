// The webhook outbox survives a crash: the server (a child process) is SIGKILLed while deliveries are in
// flight and restarted on the same DATA_DIR; every event still reaches the receiver, in order per room, and
// what was in flight at the kill arrives again under the same webhook-id (a duplicate the receiver can drop).
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { ArchiveFile } from '../../shared/archive/archiveFile.ts'
import type { CreateRoomResponse } from '../../shared/protocol/http.ts'
import type { WebhookDeliveryList } from '../../server/webhooks/events.ts'
import { messageId, WEBHOOK_SOURCES } from '../../server/webhooks/webhookOf.ts'
import { childEnv, startChildServer, type ChildServer } from '../helpers/childServer.ts'
import { joinAs } from '../helpers/negotiation.ts'
import { createRoomAt, emitAck, waitFor } from '../helpers/server.ts'
import { closeAfterAll } from '../helpers/teardown.ts'
import { TEST_WEBHOOK_SECRET, seqsByRoom, startWebhookReceiver } from '../helpers/webhookReceiver.ts'

const ROOMS = 8
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'negotiation-webhook-crash-'))
let child: ChildServer | null = null
const t = closeAfterAll()

afterAll(async () => {
  await child?.kill('SIGKILL')
  fs.rmSync(dataDir, { recursive: true, force: true })
})

async function get<T>(server: ChildServer, url: string): Promise<T> {
  const res = await fetch(`${server.url}${url}`, { headers: { Authorization: `Bearer ${server.operatorKey}` } })
  expect(res.status).toBe(200)
  return (await res.json()) as T
}

describe('webhook outbox through a crash', () => {
  it('SIGKILL mid-delivery: after a restart every event is delivered, in order per room, in-flight ones again under their id', async () => {
    const receiver = await startWebhookReceiver()
    t.add(() => receiver.close())
    // Slow answers: several requests are always in flight, so the kill cuts some off.
    receiver.delayMs = 800
    await receiver.up()
    const env = childEnv(dataDir, {
      LOG_LEVEL: 'error',
      WEBHOOK_URL: receiver.url,
      WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
      WEBHOOK_POLL_MS: '50',
      // The lease (twice the timeout) of the killed process's claims runs out 2 s after it claimed them.
      WEBHOOK_TIMEOUT_MS: '1000',
      WEBHOOK_RETRY_BASE_MS: '100',
      WEBHOOK_RETRY_MAX_MS: '400',
    })
    child = await startChildServer(env)
    const rooms: CreateRoomResponse[] = []
    for (let i = 0; i < ROOMS; i++) {
      const room = await createRoomAt(child, child.operatorKey, { title: `Crash webhook ${i}` })
      rooms.push(room)
      // A confirmation each: two events per room, the second waiting for the first.
      const borrower = await joinAs(child, room, 'borrower')
      const ack = await emitAck(borrower.socket, 'confirm', { hash: borrower.log.states.at(-1)!.currentHash, fullName: `Borrower ${i}` })
      expect(ack).toMatchObject({ ok: true })
      borrower.close()
    }
    await waitFor(() => receiver.inFlight >= 2 && receiver.requests.some((q) => q.status === 200), 'deliveries in flight', 10_000)
    const cutOff = receiver.requests.filter((q) => q.status === 0).map((q) => q.id)
    await child.kill('SIGKILL')
    const beforeRestart = receiver.requests.length
    expect(cutOff.length).toBeGreaterThan(0)
    console.log(`webhooks: killed with ${cutOff.length} deliveries in flight, ${beforeRestart} requests before the kill`)

    child = await startChildServer(env)
    const expected: string[] = []
    for (const room of rooms) {
      const archive = await get<ArchiveFile>(child, `/api/rooms/${room.roomId}/archive`)
      for (const e of archive.events) if (WEBHOOK_SOURCES.has(e.type)) expected.push(messageId(room.roomId, e.seq))
    }
    expect(expected).toHaveLength(2 * ROOMS)
    await waitFor(async () => (await get<WebhookDeliveryList>(child!, '/api/webhooks/deliveries?status=delivered')).deliveries.length === expected.length, 'all delivered after the restart', 30_000)
    expect((await get<WebhookDeliveryList>(child, '/api/webhooks/deliveries?status=pending')).deliveries).toEqual([])

    // None lost, nothing foreign, every request signed.
    expect([...new Set(receiver.requests.map((q) => q.id))].sort()).toEqual(expected.sort())
    for (const q of receiver.requests) expect(q.verified).toMatchObject({ ok: true, id: q.id })
    // What the kill cut off came again after the restart, the same event under the same id.
    const after = receiver.requests.slice(beforeRestart)
    for (const id of cutOff) {
      const first = receiver.requests.find((q) => q.id === id)!
      expect(after.find((q) => q.id === id)?.raw, id).toBe(first.raw)
    }
    for (const [roomId, seqs] of seqsByRoom(receiver.requests)) expect(seqs, roomId).toEqual([...seqs].sort((a, b) => a - b))
  })
})
