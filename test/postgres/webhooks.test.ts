// Webhooks on PostgreSQL with two server processes on one database: both send the shared outbox, and
// no row goes out from both at once (SKIP LOCKED claims with a lease); every event arrives, in order per room.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { WebhookDeliveryList } from '../../shared/webhooks/events.ts'
import { WEBHOOK_SOURCES } from '../../server/webhooks/webhookOf.ts'
import { POSTGRES_INSTALL, findPgBinDir, isCi, startPostgres, warnSkipped, type TestPostgres } from '../helpers/postgres.ts'
import { emitAck, startTestServer, waitFor, type TestServer } from '../helpers/server.ts'
import { joinAs } from '../helpers/negotiation.ts'
import { closeAfterEach } from '../helpers/teardown.ts'
import { TEST_WEBHOOK_SECRET, seqsByRoom, startWebhookReceiver } from '../helpers/webhookReceiver.ts'

const SUITE = 'PostgreSQL webhook suite (test/postgres/webhooks.test.ts)'
const binDir = findPgBinDir()
if (!binDir) warnSkipped(SUITE)

it.runIf(!binDir && isCi)('has PostgreSQL installed (required under CI)', () => {
  throw new Error(`${SUITE} needs PostgreSQL under CI: ${POSTGRES_INSTALL}`)
})

describe.skipIf(!binDir)('webhooks on PostgreSQL, two server processes', () => {
  let pgServer: TestPostgres
  beforeAll(async () => {
    pgServer = await startPostgres()
  })
  afterAll(async () => {
    await pgServer?.stop()
  })
  const t = closeAfterEach()

  it('both processes send, never the same row at once; every event arrives once, in order per room', async () => {
    const receiver = await startWebhookReceiver()
    t.add(() => receiver.close())
    receiver.delayMs = 60
    receiver.answer = (n) => (n % 5 === 0 ? 500 : 200)
    await receiver.up()
    const shared = {
      databaseUrl: await pgServer.createDatabase(),
      secret: 'shared-token-secret-for-both-nodes-0123',
      operatorKey: 'shared-operator-key-for-both-nodes-0123',
      webhookUrl: receiver.url,
      webhookSecret: TEST_WEBHOOK_SECRET,
      webhookPollMs: 20,
      webhookRetryBaseMs: 50,
      webhookRetryMaxMs: 200,
      webhookTimeoutMs: 5_000,
    }
    const nodes: TestServer[] = [t.track(await startTestServer(shared)), t.track(await startTestServer(shared))]
    const roomIds: string[] = []
    for (let i = 0; i < 10; i++) {
      const node = nodes[i % 2]!
      const room = await node.createRoom({ title: `Shared ${i}` })
      roomIds.push(room.roomId)
      // The confirmation on the other process.
      const borrower = await joinAs(nodes[(i + 1) % 2]!, room, 'borrower')
      expect(await emitAck(borrower.socket, 'confirm', { hash: borrower.log.states.at(-1)!.currentHash, fullName: `B ${i}` })).toMatchObject({ ok: true })
      borrower.close()
    }
    let expected = 0
    for (const id of roomIds) expected += (await nodes[0]!.store.readEvents(id)).filter((e) => WEBHOOK_SOURCES.has(e.type)).length
    expect(expected).toBe(20)
    const delivered = async (): Promise<number> => {
      const res = await fetch(`${nodes[1]!.url}/api/webhooks/deliveries?status=delivered`, { headers: { Authorization: `Bearer ${shared.operatorKey}` } })
      return ((await res.json()) as WebhookDeliveryList).deliveries.length
    }
    await waitFor(async () => (await delivered()) === expected, 'all delivered', 20_000)

    expect(receiver.overlaps).toEqual([])
    const accepted = receiver.requests.filter((q) => q.status === 200)
    expect(accepted).toHaveLength(expected)
    expect(new Set(accepted.map((q) => q.id)).size).toBe(expected)
    for (const q of receiver.requests) expect(q.verified).toMatchObject({ ok: true })
    for (const [roomId, seqs] of seqsByRoom(receiver.requests)) expect(seqs, roomId).toEqual([...seqs].sort((a, b) => a - b))
    // Both processes took part.
    for (const node of nodes) expect(node.webhooks!.counts.delivered).toBeGreaterThan(0)
    expect(nodes[0]!.webhooks!.counts.delivered + nodes[1]!.webhooks!.counts.delivered).toBe(expected)
  })
})
