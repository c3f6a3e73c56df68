// Connections and rate limits (issue #14 §2): caps per token, address and server with a reserve for
// health checks, half-finished requests dropped, and floods of Yjs updates or socket.io events refused
// per connection and per participant — with the real server, ws, y-websocket and socket.io clients.
import fs from 'node:fs'
import http from 'node:http'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { CLOSE } from '../../shared/protocol/yjs.ts'
import { SqliteStore } from '../../server/store/SqliteStore.ts'
import type { Store } from '../../server/store/Store.ts'
import { closed, connectError, connectProvider, connectSocket, connected, emitAck, invite, rawYjs, startTestServer, waitFor, type TestServer } from '../helpers/server.ts'
import { closeAfterEach } from '../helpers/teardown.ts'

let server: TestServer | undefined
const t = closeAfterEach()

/** Update events stored for a room (the create event's initial state is not one). */
async function storedUpdates(s: TestServer, roomId: string): Promise<number> {
  return (await s.store.readEvents(roomId)).filter((e) => e.type === 'update').length
}

/** A raw TCP connection that sends `text` and reports when the server ends it. */
function rawTcp(port: number, text: string): Promise<{ socket: net.Socket; ended: Promise<number> }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => {
      const start = Date.now()
      const ended = new Promise<number>((r) => socket.once('close', () => r(Date.now() - start)))
      socket.on('error', () => {})
      socket.resume() // read whatever the server answers, so its end is seen
      if (text) socket.write(text)
      resolve({ socket, ended })
    })
    socket.once('error', reject)
  })
}

/** A GET on a new connection of its own (fetch would reuse a pooled one, opened before the cap was reached). */
function freshGet(port: number, path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path, headers, agent: false }, (res) => {
      let body = ''
      res.on('data', (c: Buffer) => (body += c.toString()))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
    })
    req.on('error', reject)
  })
}

describe('connection caps', () => {
  it('per token: the N+1th websocket of one invite is refused (Yjs 429, socket.io too_many_connections); other tokens connect', async () => {
    server = t.track(await startTestServer({ maxConnectionsPerToken: 3 }))
    const room = await server.createRoom()
    const borrower = invite(room, 'borrower')
    const open = [await rawYjs(server, room.roomId, borrower), await rawYjs(server, room.roomId, borrower)]
    const { socket: s1 } = connectSocket(server, borrower)
    await connected(s1)
    for (const o of open) expect(o.ws).toBeDefined()

    const fourth = await rawYjs(server, room.roomId, borrower)
    expect(fourth.status).toBe(429)
    expect(JSON.parse(fourth.body!)).toMatchObject({ error: 'too_many_connections', message: expect.any(String) })
    const { socket: s2 } = connectSocket(server, borrower)
    const err = await connectError(s2)
    expect(err.data).toMatchObject({ error: 'too_many_connections' })
    s2.close()

    // Another invite of the same room is not affected.
    const lender = await rawYjs(server, room.roomId, invite(room, 'lender'))
    expect(lender.ws).toBeDefined()
    // A closed connection gives its place back.
    open[0]!.ws!.close()
    await waitFor(async () => (await rawYjs(server!, room.roomId, borrower).then((r) => (r.ws?.close(), !!r.ws))), 'place given back')
    for (const o of open) o.ws?.close()
    lender.ws!.close()
    s1.close()
  })

  it('per address: beyond the cap no token of any room opens another websocket from that address', async () => {
    server = t.track(await startTestServer({ maxConnectionsPerAddress: 4 }))
    const a = await server.createRoom()
    const b = await server.createRoom()
    const socks = [
      await rawYjs(server, a.roomId, invite(a, 'borrower')),
      await rawYjs(server, a.roomId, invite(a, 'lender')),
      await rawYjs(server, b.roomId, invite(b, 'borrower')),
      await rawYjs(server, b.roomId, invite(b, 'observer')),
    ]
    for (const s of socks) expect(s.ws).toBeDefined()
    const fifth = await rawYjs(server, b.roomId, invite(b, 'lender'))
    expect(fifth.status).toBe(429)
    expect(JSON.parse(fifth.body!).error).toBe('too_many_connections')
    for (const s of socks) s.ws!.close()
  })

  it('per room: beyond the cap no member opens another websocket in that room; other rooms are unaffected', async () => {
    server = t.track(await startTestServer({ maxConnectionsPerRoom: 3 }))
    const a = await server.createRoom()
    const b = await server.createRoom()
    const socks = [
      await rawYjs(server, a.roomId, invite(a, 'borrower')),
      await rawYjs(server, a.roomId, invite(a, 'lender')),
      await rawYjs(server, a.roomId, invite(a, 'observer')),
    ]
    for (const s of socks) expect(s.ws).toBeDefined()
    const fourth = await rawYjs(server, a.roomId, invite(a, 'borrower'))
    expect(fourth.status).toBe(429)
    expect(JSON.parse(fourth.body!).error).toBe('too_many_connections')
    const other = await rawYjs(server, b.roomId, invite(b, 'borrower'))
    expect(other.ws).toBeDefined()
    for (const s of [...socks, other]) s.ws!.close()
  })

  it('global: once only the reserved connections are left, everything but /healthz is refused and health still answers', async () => {
    server = t.track(await startTestServer({ maxConnections: 24, reservedConnections: 4 }))
    const room = await server.createRoom()
    const token = invite(room, 'borrower')
    // Idle TCP connections (a request line and no more) up to the start of the reserve.
    const idle: net.Socket[] = []
    for (let i = 0; i < 40 && (server.limits?.open ?? 0) < 20; i++) idle.push((await rawTcp(server.port, 'GET / HTTP/1.1\r\n')).socket)
    expect(server.limits?.open).toBe(20)

    const yjs = await rawYjs(server, room.roomId, token)
    expect(yjs.status).toBe(503)
    expect(JSON.parse(yjs.body!).error).toBe('too_many_connections')
    const api = await freshGet(server.port, `/api/rooms/${room.roomId}`, { Authorization: `Bearer ${token}` })
    expect(api.status).toBe(503)
    expect(JSON.parse(api.body)).toMatchObject({ error: 'too_many_connections' })
    const health = await freshGet(server.port, '/healthz')
    expect(health.status).toBe(200)
    expect(JSON.parse(health.body)).toMatchObject({ ok: true })

    // A connection that takes a reserved slot without asking for health gives it back at once.
    const squatter = await rawTcp(server.port, '')
    expect(await squatter.ended).toBeLessThan(4000)
    for (const s of idle) s.destroy()
    await waitFor(() => server!.limits.open < 20, 'idle sockets gone')
    const after = await rawYjs(server, room.roomId, token)
    expect(after.ws).toBeDefined()
    after.ws!.close()
  })

  it('slow headers: half-finished requests and upgrades are closed within the headers timeout', async () => {
    server = t.track(await startTestServer({ headersTimeoutMs: 1000 }))
    const room = await server.createRoom()
    const t0 = Date.now()
    const partial = await Promise.all([
      rawTcp(server.port, `GET /yjs/${room.roomId}?token=x HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\n`),
      rawTcp(server.port, 'GET /api/public-key HTTP/1.1\r\nHost: a\r\n'),
      rawTcp(server.port, 'GET /socket.io/?EIO=4&transport=websocket HTT'),
    ])
    const times = await Promise.all(partial.map((p) => p.ended))
    for (const ms of times) expect(ms).toBeLessThan(3500)
    expect(Date.now() - t0).toBeLessThan(4000)
    // Complete requests are unaffected.
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200)
  })

  it('a Yjs upgrade whose room load does not finish is dropped after the upgrade timeout', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'negotiation-limits-'))
    const real = new SqliteStore(path.join(dir, 'negotiation.db'))
    let hang = false
    let unstick = (): void => {}
    const stuck = new Promise<void>((r) => (unstick = r))
    // The same store, except that loading a room waits for `unstick` once `hang` is set.
    const store = new Proxy(real, {
      get(target, key, receiver) {
        if (key === 'loadRoom') return (...args: Parameters<Store['loadRoom']>) => (hang ? stuck.then(() => target.loadRoom(...args)) : target.loadRoom(...args))
        const v = Reflect.get(target, key, receiver) as unknown
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v
      },
    })
    server = t.track(await startTestServer({ store, upgradeTimeoutMs: 500 }, dir))
    const room = await server.createRoom()
    hang = true
    const t0 = Date.now()
    const ws = new WebSocket(`${server.wsUrl}/yjs/${room.roomId}?token=${encodeURIComponent(invite(room, 'borrower'))}`)
    try {
      const outcome = await new Promise<string>((resolve) => {
        ws.once('open', () => resolve('open'))
        ws.once('error', (e) => resolve(`error: ${e.message}`))
        setTimeout(() => resolve('still waiting'), 3000)
      })
      expect(outcome).toMatch(/^error/)
      expect(Date.now() - t0).toBeLessThan(2500)
      // The server's own decision is counted by its reason, for operators and the load bench.
      const health = JSON.parse((await freshGet(server.port, '/healthz')).body) as { closes: Record<string, number> }
      expect(health.closes).toEqual({ 'yjs.upgrade_timeout': 1 })
    } finally {
      ws.terminate()
      unstick()
    }
  })
})

describe('rate limits', () => {
  it('a Yjs update flood from one connection is closed with 4429 "rate_limited … retry in N s"; its excess is not stored; another room edits on', async () => {
    // A window of 3 s; spending past it costs the participant a 5 s penalty instead of a fresh burst next window.
    server = t.track(await startTestServer({ yjsUpdateRate: 10, yjsUpdateBurst: 30, yjsPenaltyMs: 5000 }))
    const flooded = await server.createRoom()
    const quiet = await server.createRoom()
    const flooder = connectProvider(server, flooded.roomId, invite(flooded, 'borrower'))
    const editor = connectProvider(server, quiet.roomId, invite(quiet, 'borrower'))
    const watcher = connectProvider(server, quiet.roomId, invite(quiet, 'lender'))
    await Promise.all([flooder.synced, editor.synced, watcher.synced])
    const before = await storedUpdates(server, flooded.roomId)

    const text = flooder.doc.getText('clauses')
    for (let i = 0; i < 200; i++) text.insert(text.length, 'x')
    await waitFor(() => flooder.closes.length > 0, 'flooder closed')
    expect(flooder.closes[0]!.code).toBe(CLOSE.rateLimited)
    expect(flooder.closes[0]!.reason).toMatch(/^rate_limited: .*retry in \d+ s$/)
    expect(server.closes.snapshot()).toMatchObject({ 'yjs.rate_limited': 1 })
    // Coming straight back while the budget is spent is refused at the door, before any room work.
    const again = await rawYjs(server, flooded.roomId, invite(flooded, 'borrower'))
    expect(again.status).toBe(429)
    expect(JSON.parse(again.body!)).toMatchObject({ error: 'rate_limited', message: expect.stringMatching(/retry in \d+ s/) })

    editor.doc.getText('clauses').insert(0, 'calm edit')
    await waitFor(() => watcher.doc.getText('clauses').toString() === 'calm edit', 'the other room syncs')

    await new Promise((r) => setTimeout(r, 200))
    const stored = (await storedUpdates(server, flooded.roomId)) - before
    expect(stored).toBeGreaterThan(0)
    expect(stored).toBeLessThanOrEqual(30)

    // Nothing is lost for an honest client: after the wait, its sync step 2 carries the refused changes.
    const seconds = Number(/retry in (\d+) s/.exec(flooder.closes[0]!.reason)![1])
    expect(seconds).toBeGreaterThanOrEqual(4) // the penalty, not what is left of the 3 s window
    await new Promise((r) => setTimeout(r, seconds * 1000 + 100))
    flooder.provider.connect()
    const reader = connectProvider(server, flooded.roomId, invite(flooded, 'lender'))
    await waitFor(() => reader.doc.getText('clauses').length === 200, 'the whole text after the resync', 8000)
    flooder.destroy()
    editor.destroy()
    watcher.destroy()
    reader.destroy()
  })

  it('a participant’s update budget is shared by all its connections', async () => {
    server = t.track(await startTestServer({ yjsUpdateRate: 10, yjsUpdateBurst: 40 }))
    const room = await server.createRoom()
    const a = connectProvider(server, room.roomId, invite(room, 'borrower'))
    const b = connectProvider(server, room.roomId, invite(room, 'borrower'))
    await Promise.all([a.synced, b.synced])
    // 30 each: within any one connection's budget, beyond the participant's.
    for (const p of [a, b]) {
      const map = p.doc.getMap('terms')
      for (let i = 0; i < 30; i++) map.set('termMonths', 12 + (i % 24))
      await new Promise((r) => setTimeout(r, 50))
    }
    await waitFor(() => a.closes.length + b.closes.length > 0, 'one connection closed')
    expect([...a.closes, ...b.closes].map((c) => c.code)).toContain(CLOSE.rateLimited)
    a.destroy()
    b.destroy()
  })

  it('socket.io: an event flood is answered rate_limited with retryAfterMs, and the budget spans the participant’s sockets', async () => {
    server = t.track(await startTestServer({ socketRate: 5, socketBurst: 10 }))
    const room = await server.createRoom()
    const one = connectSocket(server, invite(room, 'borrower')).socket
    const two = connectSocket(server, invite(room, 'borrower')).socket
    await Promise.all([connected(one), connected(two)])
    const acks = await Promise.all(
      Array.from({ length: 16 }, (_, i) => emitAck(i % 2 ? one : two, 'chat:send', { clientId: `flood-${i}`, text: 'flood' })),
    )
    expect(acks.filter((a) => a.ok).length).toBe(10)
    const limited = acks.filter((a) => a.error === 'rate_limited')
    expect(limited.length).toBe(6)
    for (const l of limited) {
      expect(l.retryAfterMs).toBeGreaterThan(0)
      expect(l.retryAfterMs).toBeLessThanOrEqual(2000)
      expect(l.message).toMatch(/retry in \d+ s/)
    }
    expect(one.connected && two.connected).toBe(true)
    // Another participant has its own budget.
    const lender = connectSocket(server, invite(room, 'lender')).socket
    await connected(lender)
    expect((await emitAck(lender, 'chat:send', { clientId: 'l-1', text: 'hello' })).ok).toBe(true)
    for (const s of [one, two, lender]) s.close()
  })

  it('awareness floods are metered too: a connection over its message budget is closed with 4429', async () => {
    server = t.track(await startTestServer({ yjsMessageRate: 5, yjsMessageBurst: 10 }))
    const room = await server.createRoom()
    const { ws } = await rawYjs(server, room.roomId, invite(room, 'observer'))
    // An awareness update about no one, sent again and again.
    for (let i = 0; i < 50; i++) ws!.send(Uint8Array.of(1, 1, 0))
    const c = await closed(ws!)
    expect(c.code).toBe(CLOSE.rateLimited)
  })
})
