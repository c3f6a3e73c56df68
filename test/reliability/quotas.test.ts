// Issue #14 §1: per-room quotas and fault isolation, over the real transports. The attack (1 MiB
// `clauses` inserts until V8's string limit, then a join crashes the process) is scaled down by
// low quotas set through startServer options.
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import type { RoomState } from '../../shared/protocol/room.ts'
import { CLOSE } from '../../shared/protocol/yjs.ts'
import type { Room } from '../../server/room/Room.ts'
import { RoomFault } from '../../server/room/RoomFault.ts'
import { minimalJpeg, minimalPdf, minimalPng, upload } from '../helpers/evidenceFiles.ts'
import { joinAs } from '../helpers/negotiation.ts'
import { connectProvider, connectSocket, connected, emitAck, invite, rawYjs, startTestServer, waitFor, type TestProvider, type TestServer } from '../helpers/server.ts'
import { closeAfterEach } from '../helpers/teardown.ts'

let server: TestServer | undefined
const t = closeAfterEach()

function provider(s: TestServer, roomId: string, token: string): TestProvider {
  return t.track(connectProvider(s, roomId, token))
}

/** The clauses the room's log holds: every stored update replayed into a fresh document. */
async function storedClauses(s: TestServer, roomId: string): Promise<string> {
  const doc = new Y.Doc()
  for (const e of await s.store.readEvents(roomId)) if (e.type === 'update') Y.applyUpdate(doc, e.payload as Uint8Array)
  return doc.getText('clauses').toString()
}

/** ms until an edit in `from` shows in `to` (another room's two members). */
async function editDelay(from: TestProvider, to: TestProvider, months: number): Promise<number> {
  const start = performance.now()
  from.doc.getMap('terms').set('termMonths', months)
  await waitFor(() => to.doc.getMap('terms').get('termMonths') === months, 'edit delivered to the peer', 5000)
  return performance.now() - start
}

function loaded(s: TestServer, roomId: string): Room {
  const room = s.registry.loaded(roomId)
  if (!room) throw new Error(`room ${roomId} is not loaded`)
  return room
}

describe('room quotas', () => {
  it('refuses clause inserts over the quota with 4413, stores nothing of them, and the server and other rooms go on', async () => {
    const LIMIT = 50_000
    const CHUNK = 20_000
    server = t.track(await startTestServer({ roomMaxClausesChars: LIMIT }))
    const attacked = await server.createRoom({ title: 'Attacked' })
    const other = await server.createRoom({ title: 'Other' })
    const ob = provider(server, other.roomId, invite(other, 'borrower'))
    const ol = provider(server, other.roomId, invite(other, 'lender'))
    await Promise.all([ob.synced, ol.synced])

    // The attack: large inserts, one after the other, as fast as the client sends them.
    const attacker = provider(server, attacked.roomId, invite(attacked, 'borrower'))
    await attacker.synced
    const clauses = attacker.doc.getText('clauses')
    for (let i = 0; i < 5; i++) clauses.insert(clauses.length, String(i).repeat(CHUNK))
    await waitFor(() => attacker.closes.length > 0, 'the attacker is closed')
    attacker.provider.disconnect()
    expect(attacker.closes[0]!.code).toBe(CLOSE.quotaExceeded)
    expect(attacker.closes[0]!.reason).toMatch(/^quota_exceeded: this proposal is too long \(the clauses would have 60000 characters; the limit is 50000\)/)

    // Nothing of the refused inserts is in memory or in the log.
    await loaded(server, attacked.roomId).whenIdle()
    expect(loaded(server, attacked.roomId).doc.getText('clauses').length).toBe(2 * CHUNK)
    expect(await storedClauses(server, attacked.roomId)).toBe('0'.repeat(CHUNK) + '1'.repeat(CHUNK))

    // The server is alive, another room's edit reaches its peer within 1 s, and chat goes on.
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200)
    expect(await editDelay(ob, ol, 36)).toBeLessThan(1000)
    const chat = t.track(await joinAs(server, other, 'lender'))
    expect(await emitAck(chat.socket, 'chat:send', { clientId: 'q-1', text: 'still here' })).toMatchObject({ ok: true })

    // A later join of the attacked room works and sees what was accepted.
    const later = provider(server, attacked.roomId, invite(attacked, 'lender'))
    await later.synced
    expect(later.doc.getText('clauses').length).toBe(2 * CHUNK)
    const { socket, log } = connectSocket(server, invite(attacked, 'lender'))
    t.track(socket)
    await connected(socket)
    await waitFor(() => log.states.length > 0, 'room:state on join')
  })

  it('refuses an update that would grow the document past its quota (map values too)', async () => {
    server = t.track(await startTestServer({ roomMaxDocBytes: 30_000 }))
    const room = await server.createRoom()
    const b = provider(server, room.roomId, invite(room, 'borrower'))
    await b.synced
    b.doc.getMap('profile').set('note', 'n'.repeat(20_000))
    b.doc.getMap('profile').set('other', 'o'.repeat(20_000))
    await waitFor(() => b.closes.length > 0, 'closed')
    expect(b.closes[0]).toMatchObject({ code: CLOSE.quotaExceeded })
    expect(b.closes[0]!.reason).toMatch(/^quota_exceeded: this proposal is too long \(the document would pass 30 KiB\)/)
    expect(loaded(server, room.roomId).doc.getMap('profile').get('other')).toBeUndefined()
  })

  it('opens a room that is over a quota on load read-only, with the reason; chat goes on', async () => {
    server = t.track(await startTestServer())
    const room = await server.createRoom()
    const b = provider(server, room.roomId, invite(room, 'borrower'))
    await b.synced
    b.doc.getText('clauses').insert(0, 'c'.repeat(3_000))
    await waitFor(async () => (await storedClauses(server!, room.roomId)).length === 3_000, 'stored')
    b.destroy()
    server = t.track(await server.restart({ roomMaxClausesChars: 1_000 }))

    const party = t.track(await joinAs(server, room, 'borrower'))
    const state = party.log.states.at(-1) as RoomState
    expect(state.phase).toBe('negotiating')
    expect(state.readOnly).toBe('this room is over its size limit (clauses: 3000 of 1000 characters) and is read-only')
    expect(party.provider.doc.getText('clauses').length).toBe(3_000)
    party.provider.doc.getMap('terms').set('termMonths', 48)
    await waitFor(() => party.provider.closes.length > 0, 'the write is refused')
    expect(party.provider.closes[0]!.code).toBe(CLOSE.quotaExceeded)
    expect(party.provider.closes[0]!.reason).toMatch(/^quota_exceeded: this room is over its size limit/)
    expect(loaded(server, room.roomId).doc.getMap('terms').get('termMonths')).toBe(24)
    expect(await emitAck(party.socket, 'chat:send', { clientId: 'ro-1', text: 'we can still talk' })).toMatchObject({ ok: true })
  })

  it('answers 413 quota_exceeded for attachments over the count or bytes quota, and stores none of their bytes', async () => {
    server = t.track(await startTestServer({ roomMaxAttachments: 2, roomMaxAttachmentBytes: 1_000 }))
    const x = await server.createRoom()
    const tx = invite(x, 'borrower')
    expect((await upload(server, x.roomId, tx, minimalPng(), 'a.png')).status).toBe(201)
    expect((await upload(server, x.roomId, tx, minimalJpeg(), 'b.jpg')).status).toBe(201)
    const third = minimalPdf('third')
    const r = await upload(server, x.roomId, tx, third, 'c.pdf')
    expect(r).toMatchObject({ status: 413, body: { error: 'quota_exceeded' } })
    expect(String(r.body.message)).toMatch(/2 attachments/)
    // The same bytes again add nothing: still fine.
    expect((await upload(server, x.roomId, tx, minimalPng(), 'a again.png')).status).toBe(200)

    const y = await server.createRoom()
    const ty = invite(y, 'lender')
    expect((await upload(server, y.roomId, ty, minimalPdf('x'.repeat(500)), 'big.pdf')).status).toBe(201)
    const over = minimalPdf('y'.repeat(400))
    const r2 = await upload(server, y.roomId, ty, over, 'bigger.pdf')
    expect(r2).toMatchObject({ status: 413, body: { error: 'quota_exceeded' } })
    const stored = fs.readdirSync(path.join(server.dataDir, 'attachments'))
    const { createHash } = await import('node:crypto')
    for (const refused of [third, over]) expect(stored).not.toContain(createHash('sha256').update(refused).digest('hex'))
  })
})

describe('fault isolation', () => {
  it('an exception in one room\'s Yjs handling breaks that room only: its members are told, the other room edits and chats', async () => {
    server = t.track(await startTestServer())
    const a = await server.createRoom({ title: 'A' })
    const other = await server.createRoom({ title: 'B' })
    const ab = await joinAs(server, a, 'borrower')
    const al = await joinAs(server, a, 'lender')
    const bb = await joinAs(server, other, 'borrower')
    const bl = await joinAs(server, other, 'lender')
    for (const p of [ab, al, bb, bl]) t.track(p)
    const errors: unknown[] = []
    al.socket.on('room:error', (e) => errors.push(e))

    const broken = loaded(server, a.roomId)
    broken.applyUpdate = () => {
      throw new Error('forced fault')
    }
    ab.provider.doc.getMap('terms').set('termMonths', 30)

    await waitFor(() => al.provider.closes.length > 0 && errors.length > 0, 'members of A told')
    expect(broken.broken).toBeInstanceOf(RoomFault)
    expect(al.provider.closes[0]).toMatchObject({ code: CLOSE.roomBroken })
    expect(al.provider.closes[0]!.reason).toMatch(/^room_broken: /)
    expect(errors[0]).toMatchObject({ error: 'room_broken' })

    expect(await editDelay(bb.provider, bl.provider, 36)).toBeLessThan(1000)
    expect(await emitAck(bl.socket, 'chat:send', { clientId: 'iso-1', text: 'B goes on' })).toMatchObject({ ok: true })

    // The broken room was dropped; the next join loads it again from the store.
    const again = provider(server, a.roomId, invite(a, 'lender'))
    await again.synced
    expect(server.registry.loaded(a.roomId)).not.toBe(broken)
  })

  it('a room whose state throws in a timer (the oversized-hash crash) breaks alone; the process lives', async () => {
    server = t.track(await startTestServer())
    const a = await server.createRoom({ title: 'A' })
    const other = await server.createRoom({ title: 'B' })
    const ab = await joinAs(server, a, 'borrower')
    const bb = await joinAs(server, other, 'borrower')
    const bl = await joinAs(server, other, 'lender')
    for (const p of [ab, bb, bl]) t.track(p)
    const room = loaded(server, a.roomId)
    Object.defineProperty(room, 'currentHash', {
      get() {
        throw new RangeError('Invalid string length')
      },
    })
    // The edit is accepted; the debounced room:state then computes the hash in a timer.
    ab.provider.doc.getMap('terms').set('termMonths', 30)
    await waitFor(() => ab.provider.closes.length > 0, 'member of A told')
    expect(ab.provider.closes[0]!.code).toBe(CLOSE.roomBroken)
    expect(room.broken).toBeInstanceOf(RoomFault)
    expect(await editDelay(bb.provider, bl.provider, 36)).toBeLessThan(1000)
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200)
  })

  it('an exception in a socket.io command or an HTTP route breaks that room only (room_broken, 503)', async () => {
    server = t.track(await startTestServer())
    const a = await server.createRoom({ title: 'A' })
    const other = await server.createRoom({ title: 'B' })
    const ab = await joinAs(server, a, 'borrower')
    const bb = await joinAs(server, other, 'borrower')
    for (const p of [ab, bb]) t.track(p)

    const first = loaded(server, a.roomId)
    first.sendChat = () => {
      throw new Error('forced fault in chat')
    }
    expect(await emitAck(ab.socket, 'chat:send', { clientId: 'f-1', text: 'boom' })).toMatchObject({ ok: false, error: 'room_broken' })
    expect(first.broken).toBeInstanceOf(RoomFault)
    expect(await emitAck(bb.socket, 'chat:send', { clientId: 'f-2', text: 'fine' })).toMatchObject({ ok: true })

    // HTTP: the reloaded room throws inside a route.
    const lease = await server.registry.acquire(a.roomId)
    t.add(() => lease?.release())
    const second = lease!.room
    expect(second).not.toBe(first)
    second.rate = () => {
      throw new Error('forced fault in a route')
    }
    const res = await fetch(`${server.url}/api/rooms/${a.roomId}/rating`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${invite(a, 'lender')}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ stars: 5 }),
    })
    expect(res.status).toBe(503)
    expect(await res.json()).toMatchObject({ error: 'room_broken' })
    expect(second.broken).toBeInstanceOf(RoomFault)
    const ok = await fetch(`${server.url}/api/rooms/${other.roomId}`, { headers: { Authorization: `Bearer ${invite(other, 'lender')}` } })
    expect(ok.status).toBe(200)
  })

  it('a room that throws while loading answers room_broken (HTTP 503, Yjs upgrade 503); other rooms open', async () => {
    server = t.track(await startTestServer())
    const a = await server.createRoom({ title: 'A' })
    const other = await server.createRoom({ title: 'B' })
    const store = server.store
    const loadRoom = store.loadRoom.bind(store)
    store.loadRoom = (id, ...rest) => (id === a.roomId ? Promise.reject(new RangeError('Invalid string length')) : loadRoom(id, ...rest))

    const res = await fetch(`${server.url}/api/rooms/${a.roomId}`, { headers: { Authorization: `Bearer ${invite(a, 'lender')}` } })
    expect(res.status).toBe(503)
    expect(await res.json()).toMatchObject({ error: 'room_broken' })
    const ws = await rawYjs(server, a.roomId, invite(a, 'lender'))
    expect(ws.status).toBe(503)
    expect(JSON.parse(ws.body!)).toMatchObject({ error: 'room_broken' })
    const { socket } = connectSocket(server, invite(a, 'borrower'))
    t.track(socket)
    const told = new Promise((resolve) => socket.on('room:error', resolve))
    const dropped = new Promise((resolve) => socket.on('disconnect', resolve))
    expect(await told).toMatchObject({ error: 'room_broken' })
    // The transport closes (not the socket): a real client reconnects and the load is tried again.
    expect(await dropped).toBe('transport close')

    const ok = await fetch(`${server.url}/api/rooms/${other.roomId}`, { headers: { Authorization: `Bearer ${invite(other, 'lender')}` } })
    expect(ok.status).toBe(200)
    const p = provider(server, other.roomId, invite(other, 'borrower'))
    await p.synced
  })
})
