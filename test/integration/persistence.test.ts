// Durability: restart, kill -9, idle unload and reload. What was acknowledged or broadcast is never lost.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { ChatMessage } from '../../shared/protocol/chat.ts'
import { verifyChain } from '../../shared/protocol/eventLog.ts'
import { readContent } from '../../shared/document/roomDoc.ts'
import { SqliteStore } from '../../server/store/SqliteStore.ts'
import { toArchiveEvent } from '../../server/store/Store.ts'
import { startChildServer, type ChildServer } from '../helpers/childServer.ts'
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

const cleanup: (() => unknown)[] = []
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f()
})

function track<T extends TestProvider | TestSocket>(x: T): T {
  cleanup.push(() => ('provider' in x ? x.destroy() : x.close()))
  return x
}

describe('persistence', () => {
  it('keeps document and chat across a restart', async () => {
    let server: TestServer = await startTestServer()
    cleanup.push(() => server.close())
    const room = await server.createRoom()
    const b = track(connectProvider(server, room.roomId, invite(room, 'borrower')))
    const l = track(connectProvider(server, room.roomId, invite(room, 'lender')))
    await Promise.all([b.synced, l.synced])
    b.doc.getText('clauses').insert(0, 'Grace period of 3 months.')
    b.doc.getMap('profile').set('monthlyIncome', 750_000)
    l.doc.getMap('terms').set('termMonths', 60)
    await waitFor(() => l.doc.getText('clauses').length > 0 && b.doc.getMap('terms').get('termMonths') === 60, 'sync')
    const { socket } = connectSocket(server, invite(room, 'lender'))
    track(socket)
    await connected(socket)
    const ack = await emitAck(socket, 'chat:send', { clientId: 'before-restart', text: 'see you after the restart' })
    expect(ack.ok).toBe(true)
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
    // Idempotency survives too.
    expect(await emitAck(c, 'chat:send', { clientId: 'before-restart', text: 'x' })).toMatchObject({ ok: true, duplicate: true })
  })

  it('lets connected providers ride through a restart, with the edits made while it was down', async () => {
    let server: TestServer = await startTestServer()
    cleanup.push(() => server.close())
    const room = await server.createRoom()
    const b = track(connectProvider(server, room.roomId, invite(room, 'borrower')))
    const l = track(connectProvider(server, room.roomId, invite(room, 'lender')))
    await Promise.all([b.synced, l.synced])
    b.doc.getText('clauses').insert(0, 'online. ')
    await waitFor(() => l.doc.getText('clauses').toString() === 'online. ', 'first edit')
    await server.close()
    // Typed while the server is down: y-websocket sends it in its sync step 2 after reconnecting.
    b.doc.getText('clauses').insert(8, 'offline. ')
    l.doc.getMap('terms').set('termMonths', 30)
    server = await server.restart()
    await waitFor(
      () => l.doc.getText('clauses').toString() === 'online. offline. ' && b.doc.getMap('terms').get('termMonths') === 30,
      'edits made offline arrive',
      10_000,
    )
    b.doc.getText('clauses').insert(0, 'again ')
    await waitFor(() => l.doc.getText('clauses').toString() === 'again online. offline. ', 'live again')
    expect(b.closes.every((c) => c.code < 4400 || c.code >= 4500)).toBe(true)
  })

  it('unloads an idle room (timers freed) and loads it again on the next join', async () => {
    const server = await startTestServer({ roomIdleMs: 50 })
    cleanup.push(() => server.close())
    const room = await server.createRoom()
    const b = track(connectProvider(server, room.roomId, invite(room, 'borrower')))
    await b.synced
    b.doc.getText('clauses').insert(0, 'before unload')
    await waitFor(() => server.registry.loaded(room.roomId)?.doc.getText('clauses').toString() === 'before unload', 'applied')
    const first = server.registry.loaded(room.roomId)!
    b.destroy()
    await waitFor(() => server.registry.loaded(room.roomId) === undefined, 'unloaded', 3000)
    expect(first.isDisposed).toBe(true)
    // A snapshot was written on unload; loading is snapshot + later events.
    const second = track(connectProvider(server, room.roomId, invite(room, 'lender')))
    await second.synced
    expect(second.doc.getText('clauses').toString()).toBe('before unload')
    const reloaded = server.registry.loaded(room.roomId)!
    expect(reloaded).not.toBe(first)
    second.doc.getText('clauses').insert(0, 'after reload, ')
    await waitFor(() => reloaded.doc.getText('clauses').toString() === 'after reload, before unload', 'edit after reload')
  })

  it('refuses a second server on the same DATA_DIR (it would fork the hash chains)', async () => {
    const server = await startTestServer()
    cleanup.push(() => server.close())
    await expect(startTestServer({}, server.dataDir)).rejects.toThrow(/in use by another server/)
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200)
  })

  it('does not unload a room while a connection is open', async () => {
    const server = await startTestServer({ roomIdleMs: 30 })
    cleanup.push(() => server.close())
    const room = await server.createRoom()
    const { socket } = connectSocket(server, invite(room, 'observer'))
    track(socket)
    await connected(socket)
    await waitFor(() => server.registry.loaded(room.roomId) !== undefined, 'loaded')
    await new Promise((r) => setTimeout(r, 200))
    expect(server.registry.loaded(room.roomId)).toBeDefined()
  })

  it('loses nothing that was broadcast or acknowledged when the process is killed (kill -9)', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'negotiation-kill-'))
    let child: ChildServer = await startChildServer({ DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1' })
    cleanup.push(() => child.kill())
    const room = await createRoomAt(child, child.operatorKey)
    const b = track(connectProvider(child, room.roomId, invite(room, 'borrower')))
    const l = track(connectProvider(child, room.roomId, invite(room, 'lender')))
    await Promise.all([b.synced, l.synced])
    const { socket } = connectSocket(child, invite(room, 'lender'))
    track(socket)
    await connected(socket)
    for (let i = 0; i < 50; i++) b.doc.getText('clauses').insert(b.doc.getText('clauses').length, `${i},`)
    const acked = await emitAck(socket, 'chat:send', { clientId: 'k1', text: 'acknowledged' })
    expect(acked.ok).toBe(true)
    // What the lender received went through the server: it must have been stored first.
    await waitFor(() => l.doc.getText('clauses').toString().endsWith('49,'), 'lender received all')
    const seen = l.doc.getText('clauses').toString()
    b.provider.disconnect()
    l.provider.disconnect()
    socket.close()
    await child.kill('SIGKILL')

    child = await startChildServer({ DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1' })
    const o = track(connectProvider(child, room.roomId, invite(room, 'observer')))
    await o.synced
    expect(o.doc.getText('clauses').toString()).toBe(seen)
    await child.kill('SIGTERM')
    const store = new SqliteStore(path.join(dataDir, 'negotiation.db'))
    cleanup.push(() => store.close())
    const events = await store.readEvents(room.roomId)
    expect(events.some((e) => e.type === 'chat' && (e.payload as { text: string }).text === 'acknowledged')).toBe(true)
    expect(verifyChain(events.map(toArchiveEvent))).toMatchObject({ ok: true })
  })
})
