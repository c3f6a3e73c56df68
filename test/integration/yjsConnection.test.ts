// One Yjs connection's life on a real server (server/transport/YjsConnection.ts): updates that arrive before the
// client's sync step 2 are held until it comes (at most 64, at most maxPayload bytes), and a client that stops
// reading is closed once 8 MiB wait unsent for it, while the room and its other clients go on.
import * as encoding from 'lib0/encoding'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import * as Y from 'yjs'
import { CLOSE, MESSAGE } from '../../shared/protocol/yjs.ts'
import {
  closed,
  connectProvider,
  invite,
  rawYjs,
  startTestServer,
  waitFor,
  type TestProvider,
  type TestServer,
} from '../helpers/server.ts'

/** YjsConnection's MAX_HELD_UPDATES and MAX_BUFFERED. */
const MAX_HELD_UPDATES = 64
const MAX_BUFFERED = 8 * 1024 * 1024
const SYNC = { step1: 0, step2: 1, update: 2 } as const

let server: TestServer
const open: TestProvider[] = []
const sockets: WebSocket[] = []

function provider(roomId: string, token: string, doc?: Y.Doc): TestProvider {
  const p = connectProvider(server, roomId, token, doc)
  open.push(p)
  return p
}

function syncFrame(step: number, payload: Uint8Array): Uint8Array {
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, MESSAGE.sync)
  encoding.writeVarUint(e, step)
  encoding.writeVarUint8Array(e, payload)
  return encoding.toUint8Array(e)
}

/** A hand-driven client: it sends exactly the frames a test gives it, and counts what it receives. */
interface RawClient {
  ws: WebSocket
  /** Bytes received so far. */
  received: () => number
  /** Resolves once the server handled every frame sent before (it answers our sync step 1 in order). */
  roundTrip(): Promise<void>
}

async function rawClient(roomId: string, token: string): Promise<RawClient> {
  const { ws } = await rawYjs(server, roomId, token)
  if (!ws) throw new Error('the upgrade was refused')
  sockets.push(ws)
  let bytes = 0
  let answers = 0
  ws.on('message', (data: Buffer) => {
    bytes += data.length
    if (data[0] === MESSAGE.sync && data[1] === SYNC.step2) answers++
  })
  return {
    ws,
    received: () => bytes,
    async roundTrip() {
      const want = answers + 1
      ws.send(syncFrame(SYNC.step1, Y.encodeStateVector(new Y.Doc())))
      await waitFor(() => answers >= want, 'the answer to our sync step 1')
    },
  }
}

/** A base the server never gets but from the client's sync step 2, and `n` updates built on it, each ~`size` bytes. */
function heldUpdates(n: number, size = 1): { base: Uint8Array; updates: Uint8Array[]; text: string } {
  const doc = new Y.Doc()
  const clauses = doc.getText('clauses')
  clauses.insert(0, 'base ')
  const base = Y.encodeStateAsUpdate(doc)
  const updates: Uint8Array[] = []
  for (let i = 0; i < n; i++) {
    const sv = Y.encodeStateVector(doc)
    clauses.insert(clauses.length, String(i % 10).repeat(size))
    updates.push(Y.encodeStateAsUpdate(doc, sv))
  }
  return { base, updates, text: clauses.toString() }
}

async function updateCount(roomId: string): Promise<number> {
  return (await server.store.readEvents(roomId)).filter((e) => e.type === 'update').length
}

function serverText(roomId: string): string {
  return server.registry.loaded(roomId)!.doc.getText('clauses').toString()
}

beforeAll(async () => {
  // No Yjs rate budgets: these tests send faster than a person types, and the limits under test are the connection's.
  server = await startTestServer({ yjsUpdateRate: 0, yjsBytesRate: 0, yjsMessageRate: 0 })
})
afterEach(() => {
  for (const p of open.splice(0)) p.destroy()
  for (const s of sockets.splice(0)) s.terminate()
})
afterAll(async () => {
  await server.close()
})

describe('updates before the client’s sync step 2', () => {
  it('are held, then applied in order after the step 2 that brings their base', async () => {
    const room = await server.createRoom()
    const before = await updateCount(room.roomId)
    const client = await rawClient(room.roomId, invite(room, 'borrower'))
    const { base, updates, text } = heldUpdates(3)
    for (const u of updates) client.ws.send(syncFrame(SYNC.update, u))
    await client.roundTrip()
    // Held, not refused: the connection is open, and nothing reached the room yet.
    expect(client.ws.readyState).toBe(WebSocket.OPEN)
    expect(serverText(room.roomId)).toBe('')
    expect(await updateCount(room.roomId)).toBe(before)

    client.ws.send(syncFrame(SYNC.step2, base))
    await client.roundTrip()
    expect(serverText(room.roomId)).toBe(text)
    expect(server.registry.loaded(room.roomId)!.doc.store.pendingStructs).toBeNull()
    // The step 2, then each held update: stored as the borrower's, and relayed to the others.
    await waitFor(async () => (await updateCount(room.roomId)) === before + 1 + updates.length, 'stored updates')
    const stored = (await server.store.readEvents(room.roomId)).filter((e) => e.type === 'update').slice(before)
    expect(stored.map((e) => e.actor.role)).toEqual(Array(1 + updates.length).fill('borrower'))
    const lender = provider(room.roomId, invite(room, 'lender'))
    await lender.synced
    expect(lender.doc.getText('clauses').toString()).toBe(text)
    expect(client.ws.readyState).toBe(WebSocket.OPEN)
  })

  it(`holds ${MAX_HELD_UPDATES}; one more closes with 4400 missing_dependencies, and none reaches the room`, async () => {
    const room = await server.createRoom()
    const before = await updateCount(room.roomId)
    const client = await rawClient(room.roomId, invite(room, 'borrower'))
    const { updates } = heldUpdates(MAX_HELD_UPDATES + 1)
    for (const u of updates.slice(0, MAX_HELD_UPDATES)) client.ws.send(syncFrame(SYNC.update, u))
    await client.roundTrip()
    expect(client.ws.readyState).toBe(WebSocket.OPEN)

    const done = closed(client.ws)
    client.ws.send(syncFrame(SYNC.update, updates[MAX_HELD_UPDATES]!))
    const c = await done
    expect(c.code).toBe(CLOSE.invalidMessage)
    expect(c.reason).toMatch(/^missing_dependencies: /)
    expect(serverText(room.roomId)).toBe('')
    expect(server.registry.loaded(room.roomId)?.doc.store.pendingStructs ?? null).toBeNull()
    expect(await updateCount(room.roomId)).toBe(before)
  })

  it('holds at most maxPayload bytes: the update that would pass it closes with 4400', async () => {
    const room = await server.createRoom()
    const client = await rawClient(room.roomId, invite(room, 'borrower'))
    const max = server.config.maxPayload
    const { updates } = heldUpdates(3, Math.floor(max / 2) - 64)
    const [a, b, c] = updates.map((u) => u.length) as [number, number, number]
    // Two fit; the third would pass maxPayload.
    expect(a + b).toBeLessThanOrEqual(max)
    expect(a + b + c).toBeGreaterThan(max)
    client.ws.send(syncFrame(SYNC.update, updates[0]!))
    client.ws.send(syncFrame(SYNC.update, updates[1]!))
    await client.roundTrip()
    expect(client.ws.readyState).toBe(WebSocket.OPEN)
    const done = closed(client.ws)
    client.ws.send(syncFrame(SYNC.update, updates[2]!))
    const end = await done
    expect(end.code).toBe(CLOSE.invalidMessage)
    expect(end.reason).toMatch(/^missing_dependencies: /)
    expect(serverText(room.roomId)).toBe('')
  })

  it('a provider that types while still connecting ends up with its edits in the room', async () => {
    const room = await server.createRoom()
    const lender = provider(room.roomId, invite(room, 'lender'))
    await lender.synced
    const doc = new Y.Doc()
    const b = provider(room.roomId, invite(room, 'borrower'), doc)
    // Before the socket opens: only its sync step 2 can carry this.
    doc.getText('clauses').insert(0, 'typed offline. ')
    // As it opens, before its sync step 1 goes out: this update goes first and lacks its base, so the server holds it.
    b.provider.on('status', ({ status }: { status: string }) => {
      if (status === 'connected' && doc.getText('clauses').length < 20) doc.getText('clauses').insert(15, 'typed while connecting.')
    })
    await b.synced
    const want = 'typed offline. typed while connecting.'
    await waitFor(() => lender.doc.getText('clauses').toString() === want, 'the edits at the lender')
    expect(serverText(room.roomId)).toBe(want)
    expect(b.closes).toEqual([])
    expect(lender.closes).toEqual([])
  })
})

describe('a client that stops reading', () => {
  it('is closed with 1013 once more than 8 MiB wait unsent for it; the room and the others go on', async () => {
    const room = await server.createRoom()
    const b = provider(room.roomId, invite(room, 'borrower'))
    const l = provider(room.roomId, invite(room, 'lender'))
    await Promise.all([b.synced, l.synced])
    const slow = await rawClient(room.roomId, invite(room, 'observer'))
    await slow.roundTrip()
    const connections = server.yjs.connectionCount
    slow.ws.pause()

    // Half-MiB edits, each removed again so the room stays far below its quotas; the lender reads every one.
    const chunk = 'x'.repeat(512 * 1024)
    const clauses = b.doc.getText('clauses')
    let relayed = 0
    while (server.yjs.connectionCount === connections && relayed < 8 * MAX_BUFFERED) {
      clauses.insert(0, chunk)
      await waitFor(() => l.doc.getText('clauses').length === chunk.length, 'the lender reads the edit')
      clauses.delete(0, chunk.length)
      await waitFor(() => l.doc.getText('clauses').length === 0, 'the lender reads the removal')
      relayed += chunk.length
    }
    expect(server.yjs.connectionCount).toBe(connections - 1)
    expect(relayed).toBeGreaterThan(MAX_BUFFERED)

    // Reading again, it gets what was sent before the close (over 8 MiB), then the close frame.
    const done = closed(slow.ws)
    slow.ws.resume()
    const c = await done
    expect(c).toEqual({ code: CLOSE.tryAgainLater, reason: 'slow_consumer: too much unsent data' })
    expect(slow.received()).toBeGreaterThan(MAX_BUFFERED)

    clauses.insert(0, 'still working')
    await waitFor(() => l.doc.getText('clauses').toString() === 'still working', 'the lender after the close')
    expect(serverText(room.roomId)).toBe('still working')
    expect(b.closes).toEqual([])
    expect(l.closes).toEqual([])
    expect(server.yjs.connectionCount).toBe(connections - 1)
  }, 120_000)
})
