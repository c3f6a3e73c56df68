// The whole server on PostgreSQL (DATABASE_URL): a session survives a restart and a kill -9,
// the archive verifies, and a second process on the same database serves the same rooms.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { ArchiveFile } from '../../shared/archive/archiveFile.ts'
import { verifyArchive } from '../../shared/archive/verifyArchive.ts'
import type { ChatMessage } from '../../shared/protocol/chat.ts'
import { readContent } from '../../shared/document/roomDoc.ts'
import { startChildServer, type ChildServer } from '../helpers/childServer.ts'
import { POSTGRES_INSTALL, findPgBinDir, isCi, startPostgres, warnSkipped, type TestPostgres } from '../helpers/postgres.ts'
import {
  connectProvider,
  connectSocket,
  connected,
  createRoomAt,
  emitAck,
  invite,
  startTestServer,
  waitFor,
  type TestProvider,
  type TestServer,
  type TestSocket,
} from '../helpers/server.ts'

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

  const cleanup: (() => unknown)[] = []
  afterEach(async () => {
    for (const f of cleanup.splice(0).reverse()) await f()
  })
  function track<T extends TestProvider | TestSocket>(x: T): T {
    cleanup.push(() => ('provider' in x ? x.destroy() : x.close()))
    return x
  }
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
    const one = await startTestServer(shared)
    cleanup.push(() => one.close())
    const two = await startTestServer(shared)
    cleanup.push(() => two.close())
    return { shared, one, two }
  }

  it('create room → Yjs edit → chat → restart: everything is still there', async () => {
    const databaseUrl = await pgServer.createDatabase()
    let server: TestServer = await startTestServer({ databaseUrl })
    cleanup.push(() => server.close())
    expect(server.store.constructor.name).toBe('PgStore')
    const room = await server.createRoom()
    const b = track(connectProvider(server, room.roomId, invite(room, 'borrower')))
    const l = track(connectProvider(server, room.roomId, invite(room, 'lender')))
    await Promise.all([b.synced, l.synced])
    b.doc.getText('clauses').insert(0, 'Grace period of 3 months. 宽限期三个月。')
    b.doc.getMap('profile').set('monthlyIncome', 750_000)
    l.doc.getMap('terms').set('termMonths', 60)
    await waitFor(() => l.doc.getText('clauses').length > 0 && b.doc.getMap('terms').get('termMonths') === 60, 'sync')
    const { socket } = connectSocket(server, invite(room, 'lender'))
    track(socket)
    await connected(socket)
    expect(await emitAck(socket, 'chat:send', { clientId: 'before-restart', text: 'see you after the restart' })).toMatchObject({ ok: true })
    const content = readContent(b.doc)
    b.destroy()
    l.destroy()
    socket.close()

    server = await server.restart()
    const fresh = track(connectProvider(server, room.roomId, invite(room, 'observer')))
    await fresh.synced
    expect(readContent(fresh.doc)).toEqual(content)
    const c = track(connectSocket(server, invite(room, 'borrower')).socket)
    const history = await new Promise<unknown[]>((resolve) => c.once('chat:history', resolve))
    expect(history.filter((h) => (h as ChatMessage).kind === 'chat').map((h) => (h as ChatMessage).text)).toEqual(['see you after the restart'])
    expect(await emitAck(c, 'chat:send', { clientId: 'before-restart', text: 'x' })).toMatchObject({ ok: true, duplicate: true })

    const archive = await verifiedArchive(server.url, room.roomId, invite(room, 'observer'))
    expect(archive.events.map((e) => e.type)).toEqual(expect.arrayContaining(['create', 'update', 'chat', 'join', 'leave']))
  })

  it('loses nothing that was broadcast or acknowledged when the process is killed (kill -9)', async () => {
    const databaseUrl = await pgServer.createDatabase()
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'negotiation-pg-kill-'))
    const env = { DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', DATABASE_URL: databaseUrl }
    let child: ChildServer = await startChildServer(env)
    cleanup.push(() => child.kill())
    const room = await createRoomAt(child, child.operatorKey)
    const b = track(connectProvider(child, room.roomId, invite(room, 'borrower')))
    const l = track(connectProvider(child, room.roomId, invite(room, 'lender')))
    await Promise.all([b.synced, l.synced])
    const { socket } = connectSocket(child, invite(room, 'lender'))
    track(socket)
    await connected(socket)
    for (let i = 0; i < 50; i++) b.doc.getText('clauses').insert(b.doc.getText('clauses').length, `${i},`)
    expect(await emitAck(socket, 'chat:send', { clientId: 'k1', text: 'acknowledged' })).toMatchObject({ ok: true })
    // What the lender received went through the server: it must have been stored first.
    await waitFor(() => l.doc.getText('clauses').toString().endsWith('49,'), 'lender received all')
    const seen = l.doc.getText('clauses').toString()
    b.provider.disconnect()
    l.provider.disconnect()
    socket.close()
    await child.kill('SIGKILL')

    child = await startChildServer(env)
    const o = track(connectProvider(child, room.roomId, invite(room, 'observer')))
    await o.synced
    expect(o.doc.getText('clauses').toString()).toBe(seen)
    const archive = await verifiedArchive(child.url, room.roomId, invite(room, 'observer'))
    expect(archive.events.some((e) => e.type === 'chat' && (e.payload as { text: string }).text === 'acknowledged')).toBe(true)
  })

  it('serves the same rooms from a second process on the same database', async () => {
    const { one, two } = await twoNodes()
    const room = await one.createRoom()
    const p = track(connectProvider(one, room.roomId, invite(room, 'borrower')))
    await p.synced
    p.doc.getText('clauses').insert(0, 'written through node one')
    await waitFor(() => one.registry.loaded(room.roomId)?.doc.getText('clauses').length === 24, 'edit applied on node one')
    await one.registry.withRoom(room.roomId, (r) => r.whenIdle())
    // Node two has never seen the room: it loads it from the database.
    const q = track(connectProvider(two, room.roomId, invite(room, 'lender')))
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
      track(socket)
      const err = await new Promise<Error & { data?: { error: string } }>((resolve) => socket.once('connect_error', resolve))
      expect(err.data).toMatchObject({ error: 'revoked' })
      expect((await fetch(`${node.url}/api/rooms/${room.roomId}`, { headers: { Authorization: `Bearer ${fresh}` } })).status).toBe(200)
    }
    const q = track(connectProvider(two, room.roomId, fresh))
    await q.synced
  })
})
