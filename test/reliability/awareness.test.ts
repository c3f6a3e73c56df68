// Awareness speaks only for its sender (issue #14 §4): a raw `ws` client speaking the y-websocket
// protocol forges presence, and stock y-websocket providers watch what the room relays.
import * as encoding from 'lib0/encoding'
import { beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { removeAwarenessStates } from 'y-protocols/awareness'
import { ROLE_COLORS } from '../../shared/protocol/awareness.ts'
import type { CreateRoomResponse } from '../../shared/protocol/http.ts'
import { CLOSE, MESSAGE } from '../../shared/protocol/yjs.ts'
import { closed, connectProvider, invite, rawYjs, startTestServer, waitFor, type TestProvider, type TestServer } from '../helpers/server.ts'
import { closeAfterAll, closeAfterEach } from '../helpers/teardown.ts'

const NAMES = { borrower: 'Wang Fang', lender: 'Li Na', observer: 'Chen Jie' }

let server: TestServer
const suite = closeAfterAll()
const clients = closeAfterEach()

beforeAll(async () => {
  server = suite.track(await startTestServer())
})

type Role = keyof typeof NAMES

async function newRoom(): Promise<CreateRoomResponse> {
  return server.createRoom({ names: NAMES, observerLabel: 'mediator' })
}

async function stock(room: CreateRoomResponse, role: Role): Promise<TestProvider> {
  const p = clients.track(connectProvider(server, room.roomId, invite(room, role)))
  await p.synced
  return p
}

async function raw(room: CreateRoomResponse, role: Role): Promise<WebSocket> {
  const r = await rawYjs(server, room.roomId, invite(room, role))
  return clients.track(r.ws!)
}

/** How the server closed `ws`, or null if it is still open after `ms`. */
function closedWithin(ws: WebSocket, ms = 3000): Promise<{ code: number; reason: string } | null> {
  return Promise.race([closed(ws), new Promise<null>((r) => setTimeout(() => r(null), ms))])
}

/** A y-websocket awareness message: [type 1, [n, (clientID, clock, JSON state)*]]. */
function awareness(entries: [client: number, clock: number, state: unknown][]): Uint8Array {
  const inner = encoding.createEncoder()
  encoding.writeVarUint(inner, entries.length)
  for (const [client, clock, state] of entries) {
    encoding.writeVarUint(inner, client)
    encoding.writeVarUint(inner, clock)
    encoding.writeVarString(inner, JSON.stringify(state))
  }
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, MESSAGE.awareness)
  encoding.writeVarUint8Array(e, encoding.toUint8Array(inner))
  return encoding.toUint8Array(e)
}

function roomAwareness(room: CreateRoomResponse) {
  return server.registry.loaded(room.roomId)!.awareness
}

type Seen = { user?: { name?: string; role?: string; color?: string; label?: string }; editing?: string | null }

function seenBy(p: TestProvider, client: number): Seen | undefined {
  return p.provider.awareness.getStates().get(client) as Seen | undefined
}

describe('awareness speaks only for its sender', () => {
  it('an observer announcing a presence named as the lender is shown with its own token name and role', async () => {
    const room = await newRoom()
    const b = await stock(room, 'borrower')
    const observer = await raw(room, 'observer')
    observer.send(awareness([[424_242, 1, { user: { name: NAMES.lender, role: 'lender', color: ROLE_COLORS.lender }, editing: 'principal' }]]))
    await waitFor(() => seenBy(b, 424_242) !== undefined, 'the observer presence relayed')
    expect(seenBy(b, 424_242)).toEqual({
      user: { name: NAMES.observer, role: 'observer', color: ROLE_COLORS.observer, label: 'mediator' },
      editing: 'principal',
    })
    expect(observer.readyState).toBe(WebSocket.OPEN)
  })

  it('a stock client claiming another name and colour is relayed with its token identity', async () => {
    const room = await newRoom()
    const b = await stock(room, 'borrower')
    const l = await stock(room, 'lender')
    b.provider.awareness.setLocalState({ user: { name: NAMES.lender, role: 'lender', color: '#ff0000' }, editing: 'termMonths' })
    await waitFor(() => seenBy(l, b.doc.clientID)?.editing === 'termMonths', 'borrower presence relayed')
    expect(seenBy(l, b.doc.clientID)!.user).toEqual({ name: NAMES.borrower, role: 'borrower', color: ROLE_COLORS.borrower })
    expect(b.closes).toEqual([])
  })

  it("overwriting or removing the borrower's entry with a higher clock is dropped; the entry is unchanged", async () => {
    const room = await newRoom()
    const b = await stock(room, 'borrower')
    const l = await stock(room, 'lender')
    b.provider.awareness.setLocalState({ user: { name: NAMES.borrower, role: 'borrower', color: ROLE_COLORS.borrower }, editing: 'termMonths' })
    await waitFor(() => seenBy(l, b.doc.clientID)?.editing === 'termMonths', 'borrower presence relayed')
    const before = roomAwareness(room).meta.get(b.doc.clientID)!.clock

    const observer = await raw(room, 'observer')
    observer.send(awareness([[b.doc.clientID, before + 10, { user: { name: 'Fake', role: 'borrower' }, editing: 'principal' }]]))
    observer.send(awareness([[b.doc.clientID, before + 20, null]]))
    // A marker after the forgeries: once the lender sees it, the server has judged them.
    observer.send(awareness([[555_001, 1, { editing: null }]]))
    await waitFor(() => seenBy(l, 555_001) !== undefined, 'the marker relayed')

    expect(seenBy(l, b.doc.clientID)).toEqual({ user: { name: NAMES.borrower, role: 'borrower', color: ROLE_COLORS.borrower }, editing: 'termMonths' })
    expect(roomAwareness(room).meta.get(b.doc.clientID)!.clock).toBe(before)
    // Dropped, not closed: a stock client echoes others' entries too (see the next test).
    expect(observer.readyState).toBe(WebSocket.OPEN)
  })

  it("a stock client's echo and timeout removal of another client's entry changes nothing and closes nothing", async () => {
    const room = await newRoom()
    const b = await stock(room, 'borrower')
    const l = await stock(room, 'lender')
    const o = await stock(room, 'observer')
    b.provider.awareness.setLocalStateField('editing', 'termMonths')
    await waitFor(() => seenBy(l, b.doc.clientID)?.editing === 'termMonths' && seenBy(o, b.doc.clientID)?.editing === 'termMonths', 'relayed')
    // The borrower's own provider would re-announce itself after a removal: watch for the removal itself.
    let lostBorrower = false
    o.provider.awareness.on('update', ({ removed }: { removed: number[] }) => {
      if (removed.includes(b.doc.clientID)) lostBorrower = true
    })
    // What y-protocols does after 30 s without a renewal: the lender's provider then sends a removal of the borrower's id.
    removeAwarenessStates(l.provider.awareness, [b.doc.clientID], 'timeout')
    l.provider.awareness.setLocalStateField('editing', 'principal')
    await waitFor(() => seenBy(o, l.doc.clientID)?.editing === 'principal', 'lender presence after its removal message')
    expect(lostBorrower).toBe(false)
    expect(seenBy(o, b.doc.clientID)?.editing).toBe('termMonths')
    expect(roomAwareness(room).getStates().has(b.doc.clientID)).toBe(true)
    for (const p of [b, l, o]) expect(p.closes).toEqual([])
  })

  it('cycling client ids is capped over the connection’s life: closed 4400 awareness_flood, nothing left behind', async () => {
    const room = await newRoom()
    const l = await stock(room, 'lender')
    const metaBefore = roomAwareness(room).meta.size
    const attacker = await raw(room, 'borrower')
    const done = closed(attacker)
    let sent = 0
    for (let id = 9_000_000; id < 9_000_500 && attacker.readyState === WebSocket.OPEN; id++) {
      attacker.send(awareness([[id, 1, { editing: null }]]))
      attacker.send(awareness([[id, 2, null]]))
      sent++
      if (sent % 50 === 0) await new Promise((r) => setImmediate(r))
    }
    const c = await Promise.race([done, closedWithin(attacker)])
    expect(c, `still open after ${sent} ids`).not.toBeNull()
    expect(c!.code).toBe(CLOSE.invalidMessage)
    expect(c!.reason).toMatch(/^awareness_flood: a connection speaks for at most 4 awareness clients/)
    await waitFor(() => roomAwareness(room).getStates().size === 0, 'no state left')
    // Clocks kept by y-protocols: at most the 4 ids it was allowed.
    expect(roomAwareness(room).meta.size - metaBefore).toBeLessThanOrEqual(4)
    // The room goes on: a real client's presence still works.
    l.provider.awareness.setLocalStateField('editing', 'principal')
    await waitFor(() => roomAwareness(room).getStates().get(l.doc.clientID)?.editing === 'principal', 'lender presence')
    expect(l.closes).toEqual([])
  })

  it('a state with unknown fields, or over 2 KiB, closes 4400 invalid_awareness and reaches no one', async () => {
    const room = await newRoom()
    const l = await stock(room, 'lender')
    const one = await raw(room, 'borrower')
    one.send(awareness([[600_001, 1, { editing: null, admin: true }]]))
    const c1 = (await closedWithin(one))!
    expect(c1?.code).toBe(CLOSE.invalidMessage)
    expect(c1.reason).toMatch(/^invalid_awareness: \/admin: is not allowed/)
    const two = await raw(room, 'borrower')
    two.send(awareness([[600_002, 1, { editing: null, user: { name: 'x'.repeat(2100) } }]]))
    const c2 = (await closedWithin(two))!
    expect(c2?.code).toBe(CLOSE.invalidMessage)
    expect(c2.reason).toMatch(/^invalid_awareness: an awareness state is limited to 2048 bytes/)
    expect(seenBy(l, 600_001)).toBeUndefined()
    expect(seenBy(l, 600_002)).toBeUndefined()
    expect(roomAwareness(room).getStates().has(600_001)).toBe(false)
  })

  it('a reconnect of the same person takes its id over from a connection not yet known to be dead; another person cannot', async () => {
    const room = await newRoom()
    const l = await stock(room, 'lender')
    const old = await raw(room, 'borrower')
    old.send(awareness([[700_001, 1, { editing: 'termMonths' }]]))
    await waitFor(() => seenBy(l, 700_001)?.editing === 'termMonths', 'first connection')
    // The same browser document reconnects (same client id) while the old socket still looks alive.
    const again = await raw(room, 'borrower')
    again.send(awareness([[700_001, 2, { editing: 'principal' }]]))
    await waitFor(() => seenBy(l, 700_001)?.editing === 'principal', 'the reconnect speaks for its id')
    old.close()
    await closed(old)
    await new Promise((r) => setTimeout(r, 100))
    expect(seenBy(l, 700_001)?.editing).toBe('principal')
    expect(roomAwareness(room).getStates().has(700_001)).toBe(true)

    // Someone else cannot take it, neither while it is held nor after its owner left.
    const observer = await raw(room, 'observer')
    observer.send(awareness([[700_001, 3, { editing: 'clauses' }]]))
    again.close()
    await waitFor(() => seenBy(l, 700_001) === undefined, 'removed when its owner left')
    observer.send(awareness([[700_001, 10, { editing: 'clauses' }]]))
    observer.send(awareness([[700_002, 1, { editing: null }]]))
    await waitFor(() => seenBy(l, 700_002) !== undefined, 'the marker relayed')
    expect(seenBy(l, 700_001)).toBeUndefined()
    expect(observer.readyState).toBe(WebSocket.OPEN)
  })
})
