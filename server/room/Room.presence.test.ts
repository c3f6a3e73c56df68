// Presence lines are debounced: reconnect storms write one join and one leave, the chat history keeps
// its messages, pending lines are written at unload and freed at dispose, a participant connected to
// two processes is logged once, and an evicted room lets go of its cluster subscription.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { RoomEventLine } from '../../shared/protocol/chat.ts'
import type { RoomState } from '../../shared/protocol/room.ts'
import { LocalHub, type LocalFanout } from '../../test/support/cluster/LocalFanout.ts'
import { borrower as bo, clusterRegistry, createSampleRoom, lender as li, silentLog as log } from '../../test/support/room/roomFixtures.ts'
import { SqliteStore } from '../store/SqliteStore.ts'
import type { PresenceTiming } from './PresenceLog.ts'
import { loadRoom } from './loadRoom.ts'
import type { Room } from './Room.ts'
import type { RoomListener } from './RoomListener.ts'
import { RoomRegistry } from './RoomRegistry.ts'

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))
const waitFor = async (cond: () => boolean | Promise<boolean>, what: string, ms = 3000): Promise<void> => {
  const end = Date.now() + ms
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await sleep(5)
  }
}

let store: SqliteStore
let roomId: string
const presenceTypes = async (): Promise<string[]> =>
  (await store.readEvents(roomId)).filter((e) => e.type === 'join' || e.type === 'leave').map((e) => `${e.type}:${e.actor.name}`)

beforeEach(async () => {
  store = new SqliteStore(':memory:')
  roomId = await createSampleRoom(store)
})
afterEach(async () => {
  await store.close()
})

describe('presence lines on one process', () => {
  let room: Room
  const events: RoomEventLine[] = []
  const states: RoomState[] = []
  const listener: RoomListener = {
    update: () => {},
    chat: () => {},
    event: (_r, e) => events.push(e),
    state: (_r, s) => states.push(s),
    failed: () => {},
    watching: () => true,
  }
  const load = async (presence: PresenceTiming): Promise<Room> =>
    (room = (await loadRoom(roomId, { store, log, listener, snapshotEvery: 1000, stateDebounceMs: 5, presence }))!)
  beforeEach(() => {
    events.length = 0
    states.length = 0
  })
  afterEach(() => room?.dispose())

  it('300 connect/close cycles of one participant write one join and one leave; the chat history keeps its messages', async () => {
    await load({ leaveGraceMs: 100, joinWindowMs: 300 })
    for (let i = 0; i < 5; i++) await room.sendChat(li, { clientId: `c${i}`, text: `message ${i}` })
    for (let i = 0; i < 300; i++) {
      await room.join(bo, `conn-${i}`)
      expect(states.at(-1)?.participants.find((p) => p.name === 'Bo')?.online).toBe(true)
      await room.leave(`conn-${i}`)
      // Who is online is immediate: that is room:state, not the log.
      expect(states.at(-1)?.participants.find((p) => p.name === 'Bo')?.online).toBe(false)
    }
    expect(await presenceTypes()).toEqual(['join:Bo'])
    await waitFor(async () => (await presenceTypes()).length === 2, 'the folded leave')
    await sleep(200)
    expect(await presenceTypes()).toEqual(['join:Bo', 'leave:Bo'])
    expect(events.map((e) => e.type)).toEqual(['joined', 'left'])
    const history = room.history()
    expect(history.filter((h) => h.kind === 'chat')).toHaveLength(5)
    expect(history.filter((h) => h.kind === 'event')).toHaveLength(2)
  })

  it('a reconnect within the grace writes nothing; after the grace and the window the leave is written, and a later return joins again', async () => {
    await load({ leaveGraceMs: 80, joinWindowMs: 0 })
    await room.join(bo, 'a')
    await room.leave('a')
    await sleep(20)
    await room.join(bo, 'b')
    await sleep(150)
    expect(await presenceTypes()).toEqual(['join:Bo'])
    await room.leave('b')
    await waitFor(async () => (await presenceTypes()).length === 2, 'the leave after the grace')
    await room.join(bo, 'c')
    expect(await presenceTypes()).toEqual(['join:Bo', 'leave:Bo', 'join:Bo'])
  })

  it('holds a leave until the join window has passed (at most one join per window)', async () => {
    await load({ leaveGraceMs: 10, joinWindowMs: 400 })
    const t0 = Date.now()
    await room.join(bo, 'a')
    await room.leave('a')
    await waitFor(async () => (await presenceTypes()).length === 2, 'the leave', 3000)
    expect(Date.now() - t0).toBeGreaterThanOrEqual(390)
  })

  it('dispose frees the pending leave: nothing is written after it', async () => {
    await load({ leaveGraceMs: 50, joinWindowMs: 0 })
    await room.join(bo, 'a')
    await room.leave('a')
    room.dispose()
    await sleep(150)
    expect(await presenceTypes()).toEqual(['join:Bo'])
  })
})

describe('presence lines through the registry', () => {
  it('an unloaded room writes its pending leave first, so the log is not left dangling', async () => {
    const registry = new RoomRegistry({ store, log, idleMs: 20, snapshotEvery: 1000, presence: { leaveGraceMs: 60_000, joinWindowMs: 60_000 } })
    const lease = (await registry.acquire(roomId))!
    await lease.room.join(bo, 'a')
    await lease.room.leave('a')
    lease.release()
    await waitFor(() => registry.loaded(roomId) === undefined, 'unloaded')
    expect(await presenceTypes()).toEqual(['join:Bo', 'leave:Bo'])
    await registry.close()
  })
})

describe('presence across two processes (one store, an in-process fan-out)', () => {
  let hub: LocalHub
  const nodes: { registry: RoomRegistry; fanout: LocalFanout }[] = []
  async function node(id: string): Promise<{ registry: RoomRegistry; fanout: LocalFanout; room: Room; release(): void }> {
    const { registry, fanout } = clusterRegistry(hub, id, { store, log, idleMs: 60_000, snapshotEvery: 1000, stateDebounceMs: 5, presence: { leaveGraceMs: 100, joinWindowMs: 0 } })
    nodes.push({ registry, fanout })
    const lease = (await registry.acquire(roomId))!
    return { registry, fanout, room: lease.room, release: lease.release }
  }
  beforeEach(() => {
    hub = new LocalHub()
    nodes.length = 0
  })
  afterEach(async () => {
    for (const n of nodes) await n.registry.close()
  })

  it('a participant connected to both at once (a tab whose two connections land on two processes) joins once and leaves once', async () => {
    const a = await node('a')
    const b = await node('b')
    // Both connections open in the same turn: neither process has heard of the other's yet.
    await Promise.all([a.room.join(bo, 'yjs'), b.room.join(bo, 'socket')])
    await sleep(700)
    expect(await presenceTypes()).toEqual(['join:Bo'])
    await waitFor(() => a.room.participants.length === 1 && b.room.participants.every((p) => p.online), 'online on both')
    // And both close in the same turn.
    await Promise.all([a.room.leave('yjs'), b.room.leave('socket')])
    await waitFor(async () => (await presenceTypes()).length === 2, 'the leave')
    await sleep(800)
    expect(await presenceTypes()).toEqual(['join:Bo', 'leave:Bo'])
    expect(a.room.participants).toEqual([{ role: 'borrower', name: 'Bo', online: false }])
    expect(b.room.participants).toEqual([{ role: 'borrower', name: 'Bo', online: false }])
  })

  it('closing on one process while still connected on the other writes no leave until the last connection closes', async () => {
    const a = await node('a')
    const b = await node('b')
    await a.room.join(li, 'one')
    await waitFor(() => b.room.participants.some((p) => p.name === 'Li' && p.online), 'b hears of Li')
    await b.room.join(li, 'two')
    await a.room.leave('one')
    await sleep(900)
    expect(await presenceTypes()).toEqual(['join:Li'])
    await b.room.leave('two')
    await waitFor(async () => (await presenceTypes()).length === 2, 'the leave')
    await sleep(700)
    expect(await presenceTypes()).toEqual(['join:Li', 'leave:Li'])
  })

  it('a process lost right after a connection opened there (its join still waiting its turn): the leave is logged, server_lost', async () => {
    // Node ids sort 'b' < 'z': 'z' waits its turn before writing a join.
    const b = await node('b')
    const z = await node('z')
    await z.room.join(li, 'one')
    await waitFor(() => b.room.participants.some((p) => p.name === 'Li' && p.online), 'b hears of Li')
    hub.leave('z')
    z.room.dispose()
    b.registry.nodeLost('z')
    await waitFor(async () => (await store.readEvents(roomId)).some((e) => e.type === 'leave' && (e.payload as { reason?: string }).reason === 'server_lost'), 'server_lost leave')
    expect(b.room.participants).toEqual([{ role: 'lender', name: 'Li', online: false }])
  })

  it('an evicted room (storage failure) releases its subscription; the reload subscribes again', async () => {
    const a = await node('a')
    expect(a.fanout.subscribed.has(roomId)).toBe(true)
    const append = store.append.bind(store)
    store.append = () => Promise.reject(new Error('disk on fire'))
    await a.room.sendChat(bo, { clientId: 'x', text: 'this write fails' })
    store.append = append
    await waitFor(() => a.registry.loaded(roomId) === undefined, 'evicted')
    expect(a.fanout.subscribed.has(roomId)).toBe(false)
    a.release()
    const again = (await a.registry.acquire(roomId))!
    expect(again.room).not.toBe(a.room)
    expect(a.fanout.subscribed.has(roomId)).toBe(true)
    again.release()
  })
})
