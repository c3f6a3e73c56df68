// The cooling-off pause on the Room directly (no sockets): the freeze of the proposal and the confirmations, the
// chat that stays open, the per-party limit, the bounds, the end by time or by its caller, a reload from the log,
// and two nodes of a cluster that both honour it.
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { verifyChain } from '../../shared/protocol/eventLog.ts'
import type { RoomState } from '../../shared/protocol/room.ts'
import { removeTemporaryKeys, temporaryServerKey } from '../../test/support/agreement/sampleAgreement.ts'
import { bothParties, borrower, createSampleRoom, lender, LocalCluster, nothingHeard, observer, openRoom, syncedClient, type Heard } from '../../test/support/room/roomFixtures.ts'
import { SqliteStore } from '../store/SqliteStore.ts'
import { toArchiveEvent } from '../store/Store.ts'
import type { PauseSettings } from './CoolingOff.ts'
import type { Room } from './Room.ts'

const key = temporaryServerKey()
afterAll(removeTemporaryKeys)

const until = async (cond: () => boolean, what: string, timeoutMs = 3000): Promise<void> => {
  const end = Date.now() + timeoutMs
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 5))
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

describe('Room cooling-off pause', () => {
  let store: SqliteStore
  let heard: Heard
  let room: Room
  let roomId: string

  const load = (pauses: PauseSettings = { perParty: 2, minuteMs: 60_000 }): Promise<Room> => openRoom(store, roomId, heard, { serverKey: key, pauses })
  const types = async (): Promise<string[]> => (await store.readEvents(roomId)).map((e) => e.type)
  const clausesEdit = (text: string): Uint8Array => syncedClient(room).edit((d) => d.getText('clauses').insert(0, text))

  beforeEach(async () => {
    store = new SqliteStore(':memory:')
    heard = nothingHeard()
    roomId = await createSampleRoom(store, bothParties)
    room = await load()
  })
  afterEach(async () => {
    room.dispose()
    await store.close()
  })

  it('freezes the proposal and the confirmations for everyone; the chat stays open; room:state and a line show it', async () => {
    const hash = room.currentHash
    expect(await room.confirm(lender, { hash, fullName: 'Li Na' })).toMatchObject({ ok: true })
    const before = Date.now()
    const ack = await room.pause(borrower, { minutes: 5, reason: '  I need to call my family  ' })
    expect(ack).toMatchObject({ ok: true, state: { pause: { byRole: 'borrower', byName: 'Bo', reason: 'I need to call my family' }, pausesLeft: { borrower: 1, lender: 2 } } })
    const pause = (ack as { state: RoomState }).state.pause!
    expect(pause.startedAt).toBeGreaterThanOrEqual(before)
    expect(pause.endsAt - pause.startedAt).toBe(5 * 60_000)
    expect(heard.events.at(-1)).toMatchObject({ type: 'paused', actor: borrower, params: { minutes: 5, reason: 'I need to call my family', endsAt: pause.endsAt } })

    // Every role's change is refused while paused, and nothing is applied or stored; the standing confirmation stays.
    for (const who of [borrower, lender]) {
      expect(room.applyUpdate(who, clausesEdit('x'))).toMatchObject({ ok: false, error: 'paused' })
    }
    expect(room.applyUpdate(observer, clausesEdit('x'))).toMatchObject({ ok: false, error: 'read_only' })
    expect(room.doc.getText('clauses').toString()).toBe('')
    // A reconnecting client's sync that changes nothing still passes.
    expect(room.applyUpdate(lender, Y.encodeStateAsUpdate(room.doc))).toMatchObject({ ok: true, applied: false })
    expect(room.confirmations).toHaveLength(1)
    expect(await room.confirm(borrower, { hash, fullName: 'Bo Li' })).toMatchObject({ ok: false, error: 'paused' })
    expect(await room.withdraw(lender)).toMatchObject({ ok: false, error: 'paused' })
    expect(room.phase).toBe('negotiating')
    expect(room.confirmations.map((c) => c.role)).toEqual(['lender'])

    expect(await room.sendChat(lender, { clientId: 'c1', text: 'Take your time.' })).toMatchObject({ ok: true })
    expect(heard.chat.at(-1)).toMatchObject({ text: 'Take your time.' })
    await room.whenIdle()
    expect(await types()).toEqual(['create', 'update', 'confirm', 'paused', 'chat'])
  })

  it('refuses minutes outside 2–30, a second pause while one stands, and a pause after the lock', async () => {
    for (const minutes of [1, 31, 2.5, 0, -3]) {
      expect(await room.pause(borrower, { minutes })).toMatchObject({ ok: false, error: 'invalid_payload' })
    }
    expect(await room.pause(borrower, { minutes: 2, reason: 'x'.repeat(501) })).toMatchObject({ ok: false, error: 'invalid_payload' })
    expect(await room.pause(observer, { minutes: 30 })).toMatchObject({ ok: true, state: { pause: { byRole: 'observer', byName: 'Mediator' } } })
    expect(await room.pause(lender, { minutes: 2 })).toMatchObject({ ok: false, error: 'already_paused' })
    expect(await room.endPause(observer)).toMatchObject({ ok: true })
    expect(room.state.pause).toBeUndefined()

    const hash = room.currentHash
    await room.confirm(borrower, { hash, fullName: 'Bo Li' })
    await room.confirm(lender, { hash, fullName: 'Li Na' })
    expect(room.phase).toBe('locked')
    expect(await room.pause(borrower, { minutes: 2 })).toMatchObject({ ok: false, error: 'locked' })
    expect(room.state.pausesLeft).toBeUndefined()
  })

  it('counts each party’s pauses against PAUSES_PER_PARTY (a neutral is not counted); only the caller ends one early', async () => {
    room.dispose()
    room = await load({ perParty: 2, minuteMs: 60_000 })
    for (let i = 0; i < 2; i++) {
      expect(await room.pause(lender, { minutes: 2 })).toMatchObject({ ok: true })
      expect(await room.endPause(borrower)).toMatchObject({ ok: false, error: 'forbidden' })
      expect(await room.endPause(observer)).toMatchObject({ ok: false, error: 'forbidden' })
      expect(room.state.pause).toBeDefined()
      expect(await room.endPause(lender)).toMatchObject({ ok: true, state: { pausesLeft: { lender: 1 - i, borrower: 2 } } })
    }
    expect(await room.pause(lender, { minutes: 2 })).toMatchObject({ ok: false, error: 'pause_limit' })
    for (let i = 0; i < 3; i++) {
      expect(await room.pause(observer, { minutes: 2 })).toMatchObject({ ok: true })
      await room.endPause(observer)
    }
    expect(heard.events.filter((e) => e.type === 'resumed').at(-1)).toMatchObject({ actor: observer, params: { reason: 'ended' } })
    // Ending when nothing is paused changes nothing.
    expect(await room.endPause(borrower)).toMatchObject({ ok: true })
    // Lifted: edits and confirmations work again.
    expect(room.applyUpdate(borrower, clausesEdit('after'))).toMatchObject({ ok: true, applied: true })
    expect(await room.confirm(borrower, { hash: room.currentHash, fullName: 'Bo Li' })).toMatchObject({ ok: true })
    await room.whenIdle()
    expect((await types()).filter((t) => t === 'paused' || t === 'resumed')).toEqual(Array(5).fill(['paused', 'resumed']).flat())
  })

  it('lifts itself at endsAt: the server logs the end, room:state drops the pause, edits apply again', async () => {
    room.dispose()
    room = await load({ perParty: 2, minuteMs: 15 })
    const ack = await room.pause(borrower, { minutes: 2 })
    const endsAt = (ack as { state: RoomState }).state.pause!.endsAt
    expect(room.applyUpdate(lender, clausesEdit('early'))).toMatchObject({ ok: false, error: 'paused' })
    await until(() => heard.events.some((e) => e.type === 'resumed'), 'the resumed line')
    expect(Date.now()).toBeGreaterThanOrEqual(endsAt)
    expect(heard.events.find((e) => e.type === 'resumed')).toMatchObject({ actor: { role: 'system', name: 'server' }, params: { reason: 'expired', endsAt } })
    await until(() => heard.states.at(-1)?.pause === undefined, 'a state without the pause')
    expect(room.applyUpdate(lender, clausesEdit('later'))).toMatchObject({ ok: true, applied: true })
    await room.whenIdle()
    const events = await store.readEvents(roomId)
    expect(verifyChain(events.map(toArchiveEvent)).ok).toBe(true)
    expect(events.map((e) => e.type)).toEqual(['create', 'update', 'paused', 'resumed', 'update'])
  })

  it('a reload from the log keeps the pause in force until endsAt, and the count; one that ran out meanwhile is logged as ended', async () => {
    const ack = await room.pause(borrower, { minutes: 3, reason: 'breathe' })
    const pause = (ack as { state: RoomState }).state.pause!
    await room.whenIdle()
    room.dispose()
    room = await load()
    expect(room.state.pause).toEqual(pause)
    expect(room.state.pausesLeft).toEqual({ borrower: 1, lender: 2 })
    expect(room.applyUpdate(lender, clausesEdit('x'))).toMatchObject({ ok: false, error: 'paused' })
    expect(await room.confirm(lender, { hash: room.currentHash, fullName: 'Li Na' })).toMatchObject({ ok: false, error: 'paused' })
    expect(await room.endPause(borrower)).toMatchObject({ ok: true })

    // A pause whose time runs out while the room is unloaded: the next load logs its end at once.
    room.dispose()
    room = await load({ perParty: 2, minuteMs: 10 })
    await room.pause(lender, { minutes: 2 })
    await room.whenIdle()
    room.dispose()
    await sleep(40)
    heard = nothingHeard()
    room = await load({ perParty: 2, minuteMs: 10 })
    expect(room.state.pause).toBeUndefined()
    expect(room.applyUpdate(lender, clausesEdit('x'))).toMatchObject({ ok: true })
    await until(() => heard.events.some((e) => e.type === 'resumed'), 'the overdue resumed line')
    await room.whenIdle()
    expect((await types()).slice(-3)).toEqual(['paused', 'update', 'resumed'])
    expect(room.state.pausesLeft).toEqual({ borrower: 1, lender: 1 })
  })
})

describe('Room cooling-off pause across nodes', () => {
  let cluster: LocalCluster

  beforeEach(async () => {
    cluster = await LocalCluster.start()
  })
  afterEach(() => cluster.close())

  it('a pause called on one node freezes the room on the other; its end there too, written once', async () => {
    const states: RoomState[][] = [[], []]
    const [a, b] = [
      (await cluster.join('a', { state: (_r, s) => states[0]!.push(s), watching: () => true }, { serverKey: key, pauses: { perParty: 1, minuteMs: 20 } })).lease.room,
      (await cluster.join('b', { state: (_r, s) => states[1]!.push(s), watching: () => true }, { serverKey: key, pauses: { perParty: 1, minuteMs: 20 } })).lease.room,
    ]
    expect(await a.pause(borrower, { minutes: 2 })).toMatchObject({ ok: true })
    await until(() => states[1]!.at(-1)?.pause?.byRole === 'borrower', 'node b sees the pause')
    expect(b.applyUpdate(lender, syncedClient(b).edit((d) => d.getText('clauses').insert(0, 'x')))).toMatchObject({ ok: false, error: 'paused' })
    expect(await b.confirm(lender, { hash: b.currentHash, fullName: 'Li Na' })).toMatchObject({ ok: false, error: 'paused' })
    // The count travels too: the borrower has no pause left on either node.
    expect(await b.pause(borrower, { minutes: 2 })).toMatchObject({ ok: false, error: 'already_paused' })
    await until(() => states[0]!.at(-1)?.pause === undefined && states[1]!.at(-1)?.pause === undefined, 'both nodes lift it')
    expect(await b.pause(borrower, { minutes: 2 })).toMatchObject({ ok: false, error: 'pause_limit' })
    await a.whenIdle()
    await b.whenIdle()
    await sleep(50)
    const events = await cluster.store.readEvents(cluster.roomId)
    expect(events.filter((e) => e.type === 'resumed')).toHaveLength(1)
  })

  it('a lock decided on a node that has not heard of the pause yet is refused by the store', async () => {
    const settings = { serverKey: key, pauses: { perParty: 2, minuteMs: 60_000 } }
    const a = (await cluster.join('a', { watching: () => true }, settings)).lease.room
    const b = (await cluster.join('b', { watching: () => true }, settings)).lease.room
    const hash = a.currentHash
    expect(await a.confirm(borrower, { hash, fullName: 'Bo Zhang' })).toMatchObject({ ok: true })
    await until(() => b.confirmations.length === 1, 'the borrower’s confirmation on node b')
    // Node a pauses, but node b does not hear of it before its lender confirms the same content.
    cluster.hub.drop = (m, to) => to === 'b' && m.kind === 'events'
    expect(await a.pause(borrower, { minutes: 5 })).toMatchObject({ ok: true })
    const refused = b.confirm(lender, { hash, fullName: 'Li Na' })
    await sleep(20)
    cluster.hub.drop = () => false
    // Refused once node b has read what it missed: the answer names the pause.
    expect(await refused).toMatchObject({ ok: false, error: 'paused' })
    expect(b.state.pause?.byRole).toBe('borrower')
    expect(b.phase).toBe('negotiating')
    expect((await cluster.store.readEvents(cluster.roomId)).map((e) => e.type)).not.toContain('lock')
    expect(await b.confirm(lender, { hash, fullName: 'Li Na' })).toMatchObject({ ok: false, error: 'paused' })
  })
})
