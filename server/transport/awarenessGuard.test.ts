import * as encoding from 'lib0/encoding'
import { pino } from 'pino'
import { afterEach, describe, expect, it } from 'vitest'
import { Awareness, applyAwarenessUpdate } from 'y-protocols/awareness'
import * as Y from 'yjs'
import type { ActorRole } from '../../shared/protocol/room.ts'
import { LocalHub } from '../../test/support/cluster/LocalFanout.ts'
import { createRoom } from '../room/createRoom.ts'
import type { Identity } from '../room/Room.ts'
import { RoomRegistry } from '../room/RoomRegistry.ts'
import { SqliteStore } from '../store/SqliteStore.ts'
import { AwarenessGuard, DEFAULT_GUARD_LIMITS, type Filtered, type GuardedRoom, type Speaker } from './awarenessGuard.ts'

function update(entries: [client: number, clock: number, state: unknown][]): Uint8Array {
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, entries.length)
  for (const [client, clock, state] of entries) {
    encoding.writeVarUint(e, client)
    encoding.writeVarUint(e, clock)
    encoding.writeVarString(e, JSON.stringify(state))
  }
  return encoding.toUint8Array(e)
}

const speaker = (identity: Identity): Speaker => ({ identity })
const BORROWER: Identity = { role: 'borrower', name: 'Wang Fang' }
const OBSERVER: Identity = { role: 'observer', name: 'Chen Jie', label: 'lawyer' }

const awarenesses: Awareness[] = []
afterEach(() => {
  for (const a of awarenesses.splice(0)) a.destroy()
})

function fakeRoom(writers: Record<number, ActorRole> = {}): GuardedRoom {
  const awareness = new Awareness(new Y.Doc())
  awareness.setLocalState(null)
  awarenesses.push(awareness)
  return { awareness, writerRole: (c) => writers[c] }
}

/** Filters and applies as the transport does; returns the verdict. */
function speak(guard: AwarenessGuard, room: GuardedRoom, who: Speaker, u: Uint8Array): ReturnType<AwarenessGuard['filter']> {
  const r = guard.filter(who, u)
  if (r.ok && r.update) applyAwarenessUpdate(room.awareness, r.update, who)
  return r
}

describe('AwarenessGuard', () => {
  it('an id that wrote the document as another role cannot be announced (after a reload the claims are gone, the writers are not)', () => {
    const room = fakeRoom({ 7: 'borrower' })
    const guard = new AwarenessGuard(room)
    expect(speak(guard, room, speaker(OBSERVER), update([[7, 1, { editing: null }]]))).toMatchObject({ ok: true, update: null, dropped: 1 })
    expect(room.awareness.getStates().has(7)).toBe(false)
    expect(speak(guard, room, speaker(BORROWER), update([[7, 1, { editing: 'clauses' }]]))).toMatchObject({ ok: true, dropped: 0 })
    expect(room.awareness.getStates().get(7)).toEqual({ editing: 'clauses', user: { name: 'Wang Fang', role: 'borrower', color: '#0f6e6e' } })
  })

  it("the server's own awareness id is nobody's", () => {
    const room = fakeRoom()
    const guard = new AwarenessGuard(room)
    expect(speak(guard, room, speaker(BORROWER), update([[room.awareness.clientID, 5, {}]]))).toMatchObject({ ok: true, update: null, dropped: 1 })
    expect(room.awareness.getLocalState()).toBeNull()
  })

  it('an entry with an old clock (an echo) is neither a claim nor a drop', () => {
    const room = fakeRoom()
    const guard = new AwarenessGuard(room)
    const b = speaker(BORROWER)
    speak(guard, room, b, update([[11, 3, {}]]))
    const o = speaker(OBSERVER)
    expect(speak(guard, room, o, update([[11, 3, { editing: 'x' }], [11, 2, null]]))).toEqual({ ok: true, update: null, dropped: 0 })
    expect(guard.owned(o)).toEqual([])
  })

  it('refuses more than the entries a browser could send in one message', () => {
    const room = fakeRoom()
    const guard = new AwarenessGuard(room)
    const many = Array.from({ length: DEFAULT_GUARD_LIMITS.entriesPerMessage + 1 }, (_, i): [number, number, unknown] => [1000 + i, 0, null])
    expect(guard.filter(speaker(BORROWER), update(many))).toMatchObject({ ok: false, error: 'awareness_flood' })
  })

  it('throws on bytes that are not an awareness update (the transport closes invalid_message)', () => {
    const guard = new AwarenessGuard(fakeRoom())
    expect(() => guard.filter(speaker(BORROWER), Uint8Array.of(3, 1, 1))).toThrow()
    expect(() => guard.filter(speaker(BORROWER), Uint8Array.of(...update([[1, 1, {}]]), 0))).toThrow(/trailing/)
  })

  it('remembers first speakers within a bound, forgetting the oldest ids nobody holds', () => {
    const room = fakeRoom()
    const guard = new AwarenessGuard(room, { ...DEFAULT_GUARD_LIMITS, remembered: 8 })
    for (let i = 0; i < 50; i++) {
      const s = speaker({ role: 'lender', name: `L${i}` })
      speak(guard, room, s, update([[5000 + i, 1, {}]]))
      if (i < 45) guard.release(s)
    }
    const first = (guard as unknown as { firstSpeaker: Map<number, string> }).firstSpeaker
    expect(first.size).toBeLessThanOrEqual(8)
    // The ids still held are never forgotten.
    for (let i = 45; i < 50; i++) expect(first.has(5000 + i)).toBe(true)
  })
})

describe('awareness across server processes (an in-process hub for Redis)', () => {
  it('what one process accepted reaches the other rewritten; there, another person cannot take the id, the same person can', async () => {
    const store = new SqliteStore(':memory:')
    const hub = new LocalHub()
    const log = pino({ level: 'silent' })
    const terms = { principal: 1_000_000, annualRatePct: '4.35', termMonths: 12, method: 'annuity' as const }
    const rec = await createRoom(store, { title: 'T', currency: 'CNY', terms, invites: [{ role: 'borrower', name: 'Wang Fang' }] })
    const registries: RoomRegistry[] = []
    const open = async (id: string) => {
      let registry: RoomRegistry | null = null
      const fanout = hub.join(id, (rid, m) => registry?.handle(rid, m))
      registry = new RoomRegistry({ store, log, idleMs: 60_000, snapshotEvery: 1000, stateDebounceMs: 5, cluster: fanout })
      registries.push(registry)
      return (await registry.acquire(rec.id))!
    }
    const [a, b] = [await open('a'), await open('b')]
    try {
      const [guardA, guardB] = [new AwarenessGuard(a.room), new AwarenessGuard(b.room)]
      const browser = speaker(BORROWER)
      const sent = speak(guardA, a.room, browser, update([[4242, 1, { user: { name: 'Li Na', role: 'lender' }, editing: 'termMonths' }]])) as Filtered
      expect(sent.update).not.toBeNull()
      const expected = { user: { name: 'Wang Fang', role: 'borrower', color: '#0f6e6e' }, editing: 'termMonths' }
      for (let i = 0; i < 100 && !b.room.awareness.getStates().has(4242); i++) await new Promise((r) => setTimeout(r, 5))
      expect(b.room.awareness.getStates().get(4242)).toEqual(expected)

      expect(speak(guardB, b.room, speaker(OBSERVER), update([[4242, 9, { editing: 'principal' }]]))).toMatchObject({ ok: true, update: null, dropped: 1 })
      expect(b.room.awareness.getStates().get(4242)).toEqual(expected)
      // The same borrower reconnected to process b before a noticed: it speaks for its id there.
      expect(speak(guardB, b.room, speaker(BORROWER), update([[4242, 2, { editing: 'principal' }]]))).toMatchObject({ ok: true, dropped: 0 })
      expect(b.room.awareness.getStates().get(4242)).toMatchObject({ editing: 'principal', user: { name: 'Wang Fang' } })
    } finally {
      a.release()
      b.release()
      for (const r of registries) await r.close()
      await store.close()
    }
  })
})
