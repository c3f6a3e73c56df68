// RoomRegistry against a store that fails or is slow (issue #15): a storage failure evicts the room and the next
// acquire reloads what was committed; an unload (idle or shutdown) never outruns a write still in flight.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { verifyChain } from '../../shared/protocol/eventLog.ts'
import { ControlledStore, type Hold } from '../../test/helpers/controlledStore.ts'
import { borrower, createSampleRoom, silentLog as log } from '../../test/support/room/roomFixtures.ts'
import { SqliteStore } from '../store/SqliteStore.ts'
import { toArchiveEvent } from '../store/Store.ts'
import type { Room } from './Room.ts'
import { RoomFault } from './RoomFault.ts'
import { RoomRegistry, type Lease, type RegistryOptions } from './RoomRegistry.ts'

/** The update a client in sync with the room would send to set terms.termMonths. */
function setTermMonths(room: Room, months: number): Uint8Array {
  const doc = new Y.Doc()
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(room.doc))
  const sv = Y.encodeStateVector(doc)
  doc.getMap('terms').set('termMonths', months)
  return Y.encodeStateAsUpdate(doc, sv)
}

function chatTexts(room: Room): string[] {
  return room.history().flatMap((h) => (h.kind === 'chat' ? [h.text] : []))
}

const tick = (ms = 20): Promise<void> => new Promise((r) => setTimeout(r, ms))

let store: ControlledStore
let registry: RoomRegistry
let roomId: string
let failed: { room: Room; error: Error }[]

function start(options: Partial<RegistryOptions> = {}): void {
  registry = new RoomRegistry({ store, log, idleMs: 60_000, snapshotEvery: 1000, ...options })
  registry.subscribe({ failed: (room, error) => failed.push({ room, error }) })
}

/** Starts the registry and leases the room; every write to the store from then on waits for `hold`. */
async function leaseWithWritesHeld(options: Partial<RegistryOptions> = {}): Promise<{ lease: Lease; room: Room; hold: Hold }> {
  start(options)
  const lease = (await registry.acquire(roomId))!
  return { lease, room: lease.room, hold: store.hold() }
}

beforeEach(async () => {
  store = new ControlledStore(new SqliteStore(':memory:'))
  failed = []
  roomId = await createSampleRoom(store)
})
afterEach(async () => {
  store.failAppends = null
  await registry.close()
  await store.close()
})

describe('RoomRegistry with a failing store', () => {
  it('a failed write breaks the room, evicts it at once, frees it, and the next acquire reloads what was committed', async () => {
    start()
    const lease = (await registry.acquire(roomId))!
    const room = lease.room
    expect(await room.sendChat(borrower, { clientId: 'c-1', text: 'kept' })).toMatchObject({ ok: true })

    store.failAppends = new Error('disk full')
    const r = room.applyUpdate(borrower, setTermMonths(room, 24))
    expect(r.ok).toBe(true)
    if (r.ok) await r.committed // never rejects, also not on a failure

    // Broken and told once; dropped from the registry before anything else can reach it.
    expect(failed).toHaveLength(1)
    expect(failed[0]!.room).toBe(room)
    expect(failed[0]!.error.message).toBe('disk full')
    expect(room.broken).not.toBeNull()
    expect(registry.loaded(roomId)).toBeUndefined()
    expect(registry.loadedCount).toBe(0)
    await tick()
    expect(room.isDisposed).toBe(true)
    // Every later command of the broken room is refused, not written on top of a gap.
    expect(await room.sendChat(borrower, { clientId: 'c-2', text: 'lost' })).toMatchObject({ ok: false, error: 'storage_failure' })
    expect(room.applyUpdate(borrower, new Uint8Array([0, 0]))).toMatchObject({ ok: false, error: 'storage_failure' })
    lease.release() // an old lease released after the eviction changes nothing

    store.failAppends = null
    const loadsBefore = store.loads
    const again = (await registry.acquire(roomId))!
    expect(store.loads).toBe(loadsBefore + 1)
    expect(again.room).not.toBe(room)
    expect(again.room.broken).toBeNull()
    // What was committed is there; the change whose write failed is not.
    expect(again.room.doc.getMap('terms').get('termMonths')).toBe(12)
    expect(chatTexts(again.room)).toEqual(['kept'])
    // The reloaded room writes again, on an unbroken chain.
    const r2 = again.room.applyUpdate(borrower, setTermMonths(again.room, 36))
    if (r2.ok) await r2.committed
    expect(again.room.doc.getMap('terms').get('termMonths')).toBe(36)
    const events = await store.readEvents(roomId)
    expect(events.filter((e) => e.type === 'chat')).toHaveLength(1)
    expect(verifyChain(events.map(toArchiveEvent)).ok).toBe(true)
    again.release()
  })

  it('every holder of the broken room is refused; a lease taken after the failure gets the reloaded room', async () => {
    start()
    const a = (await registry.acquire(roomId))!
    const b = (await registry.acquire(roomId))!
    expect(b.room).toBe(a.room)
    store.failAppends = new Error('io error')
    expect(await a.room.sendChat(borrower, { clientId: 'x', text: 'x' })).toMatchObject({ ok: false, error: 'storage_failure' })
    expect(failed).toHaveLength(1)
    store.failAppends = null
    expect(await b.room.sendChat(borrower, { clientId: 'y', text: 'y' })).toMatchObject({ ok: false, error: 'storage_failure' })
    const c = (await registry.acquire(roomId))!
    expect(c.room).not.toBe(a.room)
    expect(await c.room.sendChat(borrower, { clientId: 'z', text: 'z' })).toMatchObject({ ok: true })
    a.release()
    b.release()
    c.release()
  })

  it('a load that fails answers a RoomFault naming the room, keeps nothing, and the next acquire tries again', async () => {
    start()
    store.failNextLoad = new Error('cannot read')
    const err = await registry.acquire(roomId).then(
      () => null,
      (e: unknown) => e,
    )
    expect(err).toBeInstanceOf(RoomFault)
    expect((err as RoomFault).roomId).toBe(roomId)
    expect(registry.loadedCount).toBe(0)
    const lease = await registry.acquire(roomId)
    expect(lease?.room.doc.getMap('terms').get('termMonths')).toBe(12)
    lease?.release()
  })
})

describe('RoomRegistry unload racing pending writes', () => {
  it('an idle unload waits for the write in flight; an acquire meanwhile gets a room loaded after the commit', async () => {
    const { lease, room, hold } = await leaseWithWritesHeld({ idleMs: 0 })
    const chat = room.sendChat(borrower, { clientId: 'c-1', text: 'in flight' })
    const r = room.applyUpdate(borrower, setTermMonths(room, 36))
    expect(r.ok).toBe(true)
    lease.release() // the idle timer (0 ms) starts the unload while both writes are held
    await tick(50)
    expect(room.isDisposed).toBe(false)
    expect(room.idle).toBe(false)

    let reacquired = false
    const next = registry.acquire(roomId).then((l) => {
      reacquired = true
      return l
    })
    await tick(50)
    // The acquire waits for the unload, which waits for the writes.
    expect(reacquired).toBe(false)
    expect(store.appended).toBe(0)

    hold.release()
    expect(await chat).toMatchObject({ ok: true })
    const lease2 = (await next)!
    expect(room.isDisposed).toBe(true)
    expect(lease2.room).not.toBe(room)
    expect(lease2.room.doc.getMap('terms').get('termMonths')).toBe(36)
    expect(chatTexts(lease2.room)).toEqual(['in flight'])
    expect(failed).toHaveLength(0)
    lease2.release()
  })

  it('a write that fails while the unload waits for it: the room is dropped, and the next acquire loads only the commits', async () => {
    const { lease, room, hold } = await leaseWithWritesHeld({ idleMs: 0 })
    const chat = room.sendChat(borrower, { clientId: 'c-1', text: 'never stored' })
    lease.release()
    await tick(50)
    const next = registry.acquire(roomId)
    hold.fail(new Error('disk full'))
    expect(await chat).toMatchObject({ ok: false, error: 'storage_failure' })
    expect(failed.map((f) => f.room)).toEqual([room])
    store.failAppends = null
    const lease2 = (await next)!
    expect(room.isDisposed).toBe(true)
    expect(lease2.room).not.toBe(room)
    expect(lease2.room.broken).toBeNull()
    expect(chatTexts(lease2.room)).toEqual([])
    expect(await lease2.room.sendChat(borrower, { clientId: 'c-2', text: 'after' })).toMatchObject({ ok: true })
    lease2.release()
  })

  it('close() resolves only after every pending write is committed and the room snapshotted', async () => {
    const { lease, room, hold } = await leaseWithWritesHeld()
    const r = room.applyUpdate(borrower, setTermMonths(room, 48))
    expect(r.ok).toBe(true)
    let closed = false
    const closing = registry.close().then(() => {
      closed = true
    })
    await tick(50)
    expect(closed).toBe(false)
    expect(room.isDisposed).toBe(false)
    hold.release()
    await closing
    expect(room.isDisposed).toBe(true)
    await expect(registry.acquire(roomId)).rejects.toThrow('registry is closed')
    // The snapshot written at unload holds the change; a fresh load starts from it.
    const loaded = (await store.loadRoom(roomId, 10))!
    expect(loaded.snapshot).not.toBeNull()
    const doc = new Y.Doc()
    Y.applyUpdate(doc, loaded.snapshot!.state)
    expect(doc.getMap('terms').get('termMonths')).toBe(48)
    expect(loaded.updates).toHaveLength(0)
  })
})
