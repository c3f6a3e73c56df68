// The whole server on PostgreSQL (DATABASE_URL): a session survives a restart and a kill -9,
// the archive verifies, and a second process on the same database serves the same rooms and
// shares the webhook outbox (no row sent by both at once) and staff sessions.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ArchiveFile } from '../../shared/archive/archiveFile.ts'
import { verifyArchive } from '../../shared/archive/verifyArchive.ts'
import { childEnv } from '../helpers/childServer.ts'
import { sessionThroughKill, sessionThroughRestart } from '../helpers/durability.ts'
import { POSTGRES_INSTALL, findPgBinDir, isCi, startPostgres, warnSkipped, type TestPostgres } from '../helpers/postgres.ts'
import { TERMS, connectProvider, connectSocket, emitAck, invite, startTestServer, waitFor, type TestServer } from '../helpers/server.ts'
import { StaffBrowser } from '../helpers/staff.ts'
import { closeAfterEach } from '../helpers/teardown.ts'
import type { WebhookDeliveryList } from '../../server/webhooks/events.ts'
import { WEBHOOK_SOURCES } from '../../server/webhooks/webhookOf.ts'
import { joinAs } from '../helpers/negotiation.ts'
import { TEST_WEBHOOK_SECRET, seqsByRoom, startWebhookReceiver } from '../helpers/webhookReceiver.ts'

const SUITE = 'PostgreSQL server suite (test/postgres/server.test.ts)'
const binDir = findPgBinDir()
if (!binDir) warnSkipped(SUITE)

it.runIf(!binDir && isCi)('has PostgreSQL installed (required under CI)', () => {
  throw new Error(`${SUITE} needs PostgreSQL under CI: ${POSTGRES_INSTALL}`)
})

describe.skipIf(!binDir)('server on PostgreSQL (DATABASE_URL)', () => {
  let pgServer: TestPostgres
  beforeAll(async () => {
    pgServer = await startPostgres()
  })
  afterAll(async () => {
    await pgServer?.stop()
  })

  const t = closeAfterEach()
  /** The room's archive as served, after checking it verifies offline. */
  async function verifiedArchive(url: string, roomId: string, token: string): Promise<ArchiveFile> {
    const res = await fetch(`${url}/api/rooms/${roomId}/archive`, { headers: { Authorization: `Bearer ${token}` } })
    expect(res.status).toBe(200)
    const text = await res.text()
    expect(await verifyArchive(text)).toMatchObject({ valid: true })
    return JSON.parse(text) as ArchiveFile
  }
  /** Two server processes on one fresh database, sharing the token secret and the operator key. */
  async function twoNodes(): Promise<{ shared: { databaseUrl: string; secret: string; operatorKey: string }; one: TestServer; two: TestServer }> {
    const databaseUrl = await pgServer.createDatabase()
    const shared = { databaseUrl, secret: 'shared-token-secret-for-both-nodes-0123', operatorKey: 'shared-operator-key-for-both-nodes-0123' }
    const one = t.track(await startTestServer(shared))
    const two = t.track(await startTestServer(shared))
    return { shared, one, two }
  }

  it('create room → Yjs edit → chat → restart: everything is still there', async () => {
    const databaseUrl = await pgServer.createDatabase()
    let server: TestServer = await startTestServer({ databaseUrl })
    t.add(() => server.close())
    expect(server.store.constructor.name).toBe('PgStore')
    const room = await server.createRoom()
    server = await sessionThroughRestart(server, room, t, 'Grace period of 3 months. 宽限期三个月。')

    const archive = await verifiedArchive(server.url, room.roomId, invite(room, 'observer'))
    expect(archive.events.map((e) => e.type)).toEqual(expect.arrayContaining(['create', 'update', 'chat', 'join', 'leave']))
  })

  it('loses nothing that was broadcast or acknowledged when the process is killed (kill -9)', async () => {
    const databaseUrl = await pgServer.createDatabase()
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'negotiation-pg-kill-'))
    const { child, room, acked } = await sessionThroughKill(childEnv(dataDir, { DATABASE_URL: databaseUrl }), t)
    const archive = await verifiedArchive(child.url, room.roomId, invite(room, 'observer'))
    expect(archive.events.some((e) => e.type === 'chat' && (e.payload as { text: string }).text === acked)).toBe(true)
  })

  it('honours a staff session started on one process on the other, and its end there too', async () => {
    const { one, two } = await twoNodes()
    const org = await fetch(`${one.url}/api/orgs`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${one.operatorKey}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'Acme', admin: { email: 'ada@acme.test', name: 'Ada', password: 'a long password 1' } }),
    })
    expect(org.status).toBe(201)
    const onOne = new StaffBrowser(one)
    expect((await onOne.login({ email: 'ada@acme.test', password: 'a long password 1' })).status).toBe(200)
    const onTwo = new StaffBrowser(two)
    onTwo.cookie = onOne.cookie
    onTwo.csrfToken = onOne.csrfToken
    expect((await onTwo.request('GET', '/api/auth/me')).body).toMatchObject({ staff: { email: 'ada@acme.test', orgName: 'Acme' } })
    const room = await onTwo.request<{ roomId: string }>('POST', '/api/rooms', { title: 'T', currency: 'CNY', terms: TERMS })
    expect(room.status).toBe(201)
    expect((await onOne.request<{ rooms: { roomId: string }[] }>('GET', '/api/rooms')).body.rooms.map((r) => r.roomId)).toEqual([room.body.roomId])
    expect((await onTwo.request('POST', '/api/auth/logout')).status).toBe(204)
    expect((await onOne.request('GET', '/api/auth/me')).status).toBe(401)
  })

  it('serves the same rooms from a second process on the same database', async () => {
    const { one, two } = await twoNodes()
    const room = await one.createRoom()
    const p = t.track(connectProvider(one, room.roomId, invite(room, 'borrower')))
    await p.synced
    p.doc.getText('clauses').insert(0, 'written through node one')
    await waitFor(() => one.registry.loaded(room.roomId)?.doc.getText('clauses').length === 24, 'edit applied on node one')
    await one.registry.withRoom(room.roomId, (r) => r.whenIdle())
    // Node two has never seen the room: it loads it from the database.
    const q = t.track(connectProvider(two, room.roomId, invite(room, 'lender')))
    await q.synced
    expect(q.doc.getText('clauses').toString()).toBe('written through node one')
    const res = await fetch(`${two.url}/api/rooms/${room.roomId}`, { headers: { Authorization: `Bearer ${invite(room, 'observer')}` } })
    expect(res.status).toBe(200)
    // Both nodes append to the one log; the database keeps it one chain.
    const archive = await verifiedArchive(two.url, room.roomId, invite(room, 'observer'))
    expect(archive.events.filter((e) => e.type === 'join').map((e) => e.actor.role)).toEqual(['borrower', 'lender'])
  })

  it('refuses a link revoked on one process at every process, and the new link works on both', async () => {
    const { shared, one, two } = await twoNodes()
    const room = await one.createRoom()
    const old = invite(room, 'lender')
    expect((await fetch(`${two.url}/api/rooms/${room.roomId}`, { headers: { Authorization: `Bearer ${old}` } })).status).toBe(200)
    const res = await fetch(`${one.url}/api/rooms/${room.roomId}/invites/revoke`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${shared.operatorKey}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ roles: ['lender'] }),
    })
    expect(res.status).toBe(200)
    const fresh = ((await res.json()) as { invites: { lender: { token: string } } }).invites.lender.token
    for (const node of [one, two]) {
      const refused = await fetch(`${node.url}/api/rooms/${room.roomId}`, { headers: { Authorization: `Bearer ${old}` } })
      expect(refused.status).toBe(401)
      expect(await refused.json()).toMatchObject({ error: 'revoked' })
      const { socket } = connectSocket(node, old)
      t.track(socket)
      const err = await new Promise<Error & { data?: { error: string } }>((resolve) => socket.once('connect_error', resolve))
      expect(err.data).toMatchObject({ error: 'revoked' })
      expect((await fetch(`${node.url}/api/rooms/${room.roomId}`, { headers: { Authorization: `Bearer ${fresh}` } })).status).toBe(200)
    }
    const q = t.track(connectProvider(two, room.roomId, fresh))
    await q.synced
  })

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
