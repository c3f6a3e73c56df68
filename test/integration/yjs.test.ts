// The Yjs endpoint with stock y-websocket@3 providers against a real server.
import { beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import * as Y from 'yjs'
import { readContent } from '../../shared/document/roomDoc.ts'
import { CLOSE } from '../../shared/protocol/yjs.ts'
import { TERMS, closed, connectProvider, invite, rawYjs, startTestServer, waitFor, type TestProvider, type TestServer } from '../helpers/server.ts'
import { closeAfterAll, closeAfterEach } from '../helpers/teardown.ts'

let server: TestServer
const suite = closeAfterAll()
const clients = closeAfterEach()

function provider(roomId: string, token: string): TestProvider {
  return clients.track(connectProvider(server, roomId, token))
}

async function updateCount(roomId: string): Promise<number> {
  return (await server.store.readEvents(roomId)).filter((e) => e.type === 'update').length
}

beforeAll(async () => {
  server = suite.track(await startTestServer({ keepaliveMs: 300 }))
})

describe('Yjs endpoint', () => {
  it('has the initial terms in the document when the first client joins', async () => {
    const room = await server.createRoom()
    const b = provider(room.roomId, invite(room, 'borrower'))
    await b.synced
    expect(readContent(b.doc).terms).toEqual(TERMS)
  })

  it('makes two editors converge', async () => {
    const room = await server.createRoom()
    const b = provider(room.roomId, invite(room, 'borrower'))
    const l = provider(room.roomId, invite(room, 'lender'))
    await Promise.all([b.synced, l.synced])
    b.doc.getText('clauses').insert(0, 'Borrower pays on the 5th. ')
    l.doc.getMap('terms').set('termMonths', 36)
    l.doc.getMap('baseline').set('daysPastDue', 40)
    b.doc.getMap('profile').set('monthlyIncome', 900_000)
    await waitFor(
      () =>
        JSON.stringify(readContent(b.doc)) === JSON.stringify(readContent(l.doc)) &&
        b.doc.getMap('terms').get('termMonths') === 36 &&
        l.doc.getMap('profile').get('monthlyIncome') === 900_000,
      'convergence',
    )
    expect(l.doc.getText('clauses').toString()).toBe('Borrower pays on the 5th. ')
    // Both are in the durable log, attributed to their authors.
    await waitFor(async () => (await updateCount(room.roomId)) >= 5, 'stored updates')
    const actors = (await server.store.readEvents(room.roomId)).filter((e) => e.type === 'update').map((e) => e.actor.role)
    expect(actors).toEqual(expect.arrayContaining(['system', 'borrower', 'lender']))
  })

  it('drops every observer edit: never applied, stored or broadcast', async () => {
    const room = await server.createRoom()
    const b = provider(room.roomId, invite(room, 'borrower'))
    const o = provider(room.roomId, invite(room, 'observer'))
    await Promise.all([b.synced, o.synced])
    const before = await updateCount(room.roomId)
    o.doc.getText('clauses').insert(0, 'observer was here')
    o.doc.getMap('terms').set('principal', 1)
    // The observer still receives the others' edits (its connection stays open).
    b.doc.getText('clauses').insert(0, 'from the borrower')
    await waitFor(() => o.doc.getText('clauses').toString().includes('from the borrower'), 'observer receives')
    await new Promise((r) => setTimeout(r, 200))
    expect(b.doc.getText('clauses').toString()).toBe('from the borrower')
    expect(b.doc.getMap('terms').get('principal')).toBe(TERMS.principal)
    expect(server.registry.loaded(room.roomId)!.doc.getText('clauses').toString()).toBe('from the borrower')
    expect(await updateCount(room.roomId)).toBe(before + 1)
    expect(o.closes).toEqual([])
    // A fresh client sees no trace of the observer's edits.
    const late = provider(room.roomId, invite(room, 'lender'))
    await late.synced
    expect(late.doc.getText('clauses').toString()).toBe('from the borrower')
  })

  it('closes a lender that writes the borrower profile with 4403; nothing stored; the borrower goes on', async () => {
    const room = await server.createRoom()
    const b = provider(room.roomId, invite(room, 'borrower'))
    const l = provider(room.roomId, invite(room, 'lender'))
    await Promise.all([b.synced, l.synced])
    const before = await updateCount(room.roomId)
    const closedEvent = new Promise<{ code: number; reason: string }>((resolve) => l.provider.once('closed', resolve))
    l.doc.getMap('profile').set('monthlyIncome', 1)
    const c = await closedEvent
    expect(c.code).toBe(CLOSE.forbiddenWrite)
    expect(c.reason).toMatch(/^forbidden_write: the lender may not write profile/)
    b.doc.getMap('profile').set('assets', 5_000_000)
    await waitFor(async () => (await updateCount(room.roomId)) === before + 1, 'borrower update stored')
    const stored = (await server.store.readEvents(room.roomId)).filter((e) => e.type === 'update').at(-1)!
    expect(stored.actor.role).toBe('borrower')
    const serverDoc = server.registry.loaded(room.roomId)!.doc
    expect(serverDoc.getMap('profile').toJSON()).toEqual({ assets: 5_000_000 })
    // Starting over with a fresh document, the lender syncs again and sees the borrower's profile.
    const again = provider(room.roomId, invite(room, 'lender'))
    await again.synced
    await waitFor(() => again.doc.getMap('profile').get('assets') === 5_000_000, 'fresh lender sync')
    expect(again.doc.getMap('profile').get('monthlyIncome')).toBeUndefined()
  })

  it('closes only the sender of malformed frames; the room and others go on', async () => {
    const room = await server.createRoom()
    const b = provider(room.roomId, invite(room, 'borrower'))
    const l = provider(room.roomId, invite(room, 'lender'))
    await Promise.all([b.synced, l.synced])
    const frames: [string, Uint8Array][] = [
      ['random bytes', new Uint8Array([0xde, 0xad, 0xbe, 0xef, 0x01, 0x02, 0x03])],
      ['truncated varint', new Uint8Array([0x80])],
      ['unknown message type', new Uint8Array([9, 0])],
      ['garbage update', new Uint8Array([0, 2, 5, 1, 2, 3, 4, 5])],
      ['truncated update length', new Uint8Array([0, 2, 100, 1, 2])],
      ['garbage awareness', new Uint8Array([1, 4, 1, 2, 3, 4])],
      ['unknown sync step', new Uint8Array([0, 7, 0])],
    ]
    for (const [what, frame] of frames) {
      const { ws } = await rawYjs(server, room.roomId, invite(room, 'lender'))
      clients.track(ws!)
      const done = closed(ws!)
      ws!.send(frame)
      const c = await done
      expect(c.code, what).toBe(CLOSE.invalidMessage)
      expect(c.reason, what).toMatch(/^(invalid_message|invalid_update): /)
    }
    const { ws: text } = await rawYjs(server, room.roomId, invite(room, 'lender'))
    clients.track(text!)
    const textClosed = closed(text!)
    text!.send('hello')
    expect((await textClosed).code).toBe(CLOSE.invalidMessage)

    b.doc.getText('clauses').insert(0, 'still working')
    await waitFor(() => l.doc.getText('clauses').toString() === 'still working', 'others unaffected')
    expect(b.closes).toEqual([])
    expect(l.closes).toEqual([])
  })

  it('refuses an update whose dependencies are missing, without touching the room', async () => {
    const room = await server.createRoom()
    const b = provider(room.roomId, invite(room, 'borrower'))
    await b.synced
    const { ws } = await rawYjs(server, room.roomId, invite(room, 'lender'))
    clients.track(ws!)
    // Complete the handshake like a real client, then send an update built on an unsent one.
    const doc = new Y.Doc()
    doc.getText('clauses').insert(0, 'never sent ')
    const sv = Y.encodeStateVector(doc)
    doc.getText('clauses').insert(11, 'depends on it')
    const orphan = Y.encodeStateAsUpdate(doc, sv)
    const send = (type: number[], payload: Uint8Array): void => {
      const len: number[] = []
      let n = payload.length
      while (n > 127) {
        len.push((n & 127) | 128)
        n >>>= 7
      }
      len.push(n)
      ws!.send(new Uint8Array([...type, ...len, ...payload]))
    }
    send([0, 1], Y.encodeStateAsUpdate(new Y.Doc())) // sync step 2: nothing new
    const done = closed(ws!)
    send([0, 2], orphan)
    const c = await done
    expect(c.code).toBe(CLOSE.invalidMessage)
    expect(c.reason).toMatch(/^missing_dependencies/)
    const serverDoc = server.registry.loaded(room.roomId)!.doc
    expect(serverDoc.store.pendingStructs).toBeNull()
    expect(serverDoc.getText('clauses').toString()).toBe('')
  })

  it('closes an oversized message with 1009 and a reason', async () => {
    const room = await server.createRoom()
    const { ws } = await rawYjs(server, room.roomId, invite(room, 'borrower'))
    clients.track(ws!)
    const done = closed(ws!)
    ws!.send(new Uint8Array(server.config.maxPayload + 10))
    const c = await done
    expect(c.code).toBe(1009)
    expect(c.reason).toMatch(/^message_too_large/)
  })

  it('keeps a quiet connection alive with small awareness messages', async () => {
    const room = await server.createRoom()
    const { ws } = await rawYjs(server, room.roomId, invite(room, 'observer'))
    clients.track(ws!)
    const received: Uint8Array[] = []
    ws!.on('message', (d: Buffer) => received.push(new Uint8Array(d)))
    await waitFor(() => received.some((m) => m[0] === 1), 'keepalive awareness', 3000)
  })

  it('relays awareness and removes a closed connection’s states', async () => {
    const room = await server.createRoom()
    const b = provider(room.roomId, invite(room, 'borrower'))
    const o = provider(room.roomId, invite(room, 'observer'))
    await Promise.all([b.synced, o.synced])
    b.provider.awareness.setLocalStateField('editing', 'termMonths')
    await waitFor(() => o.provider.awareness.getStates().get(b.doc.clientID)?.editing === 'termMonths', 'awareness relayed')
    ;(b.provider.ws as unknown as WebSocket).terminate() // an abrupt end: the client cannot say goodbye
    b.provider.disconnect()
    await waitFor(() => !o.provider.awareness.getStates().has(b.doc.clientID), 'awareness removed')
  })
})
