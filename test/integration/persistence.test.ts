// Durability: restart, kill -9, idle unload and reload. What was acknowledged or broadcast is never lost.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { verifyChain } from '../../shared/protocol/eventLog.ts'
import { SqliteStore } from '../../server/store/SqliteStore.ts'
import { toArchiveEvent } from '../../server/store/Store.ts'
import { childEnv } from '../helpers/childServer.ts'
import { sessionThroughKill, sessionThroughRestart } from '../helpers/durability.ts'
import { connectProvider, connectSocket, connected, invite, startTestServer, waitFor, type TestServer } from '../helpers/server.ts'
import { closeAfterEach } from '../helpers/teardown.ts'

const t = closeAfterEach()

describe('persistence', () => {
  it('keeps document and chat across a restart', async () => {
    let server: TestServer = await startTestServer()
    t.add(() => server.close())
    const room = await server.createRoom()
    server = await sessionThroughRestart(server, room, t, 'Grace period of 3 months.')
  })

  it('lets connected providers ride through a restart, with the edits made while it was down', async () => {
    let server: TestServer = await startTestServer()
    t.add(() => server.close())
    const room = await server.createRoom()
    const b = t.track(connectProvider(server, room.roomId, invite(room, 'borrower')))
    const l = t.track(connectProvider(server, room.roomId, invite(room, 'lender')))
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
    t.add(() => server.close())
    const room = await server.createRoom()
    const b = t.track(connectProvider(server, room.roomId, invite(room, 'borrower')))
    await b.synced
    b.doc.getText('clauses').insert(0, 'before unload')
    await waitFor(() => server.registry.loaded(room.roomId)?.doc.getText('clauses').toString() === 'before unload', 'applied')
    const first = server.registry.loaded(room.roomId)!
    b.destroy()
    await waitFor(() => server.registry.loaded(room.roomId) === undefined, 'unloaded', 3000)
    expect(first.isDisposed).toBe(true)
    // A snapshot was written on unload; loading is snapshot + later events.
    const second = t.track(connectProvider(server, room.roomId, invite(room, 'lender')))
    await second.synced
    expect(second.doc.getText('clauses').toString()).toBe('before unload')
    const reloaded = server.registry.loaded(room.roomId)!
    expect(reloaded).not.toBe(first)
    second.doc.getText('clauses').insert(0, 'after reload, ')
    await waitFor(() => reloaded.doc.getText('clauses').toString() === 'after reload, before unload', 'edit after reload')
  })

  it('refuses a second server on the same DATA_DIR (it would fork the hash chains)', async () => {
    const server = await startTestServer()
    t.add(() => server.close())
    await expect(startTestServer({}, server.dataDir)).rejects.toThrow(/in use by another server/)
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200)
  })

  it('does not unload a room while a connection is open', async () => {
    const server = await startTestServer({ roomIdleMs: 30 })
    t.add(() => server.close())
    const room = await server.createRoom()
    const { socket } = connectSocket(server, invite(room, 'observer'))
    t.track(socket)
    await connected(socket)
    await waitFor(() => server.registry.loaded(room.roomId) !== undefined, 'loaded')
    await new Promise((r) => setTimeout(r, 200))
    expect(server.registry.loaded(room.roomId)).toBeDefined()
  })

  it('loses nothing that was broadcast or acknowledged when the process is killed (kill -9)', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'negotiation-kill-'))
    const { child, room, acked } = await sessionThroughKill(childEnv(dataDir), t)
    await child.kill('SIGTERM')
    const store = new SqliteStore(path.join(dataDir, 'negotiation.db'))
    t.add(() => store.close())
    const events = await store.readEvents(room.roomId)
    expect(events.some((e) => e.type === 'chat' && (e.payload as { text: string }).text === acked)).toBe(true)
    expect(verifyChain(events.map(toArchiveEvent))).toMatchObject({ ok: true })
  })
})
