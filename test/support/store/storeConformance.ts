// One store test suite, every implementation: what the rest of the server relies on from a Store.
// SqliteStore.test.ts runs it on SQLite (in memory and on a file); test/postgres runs it on PgStore.
import { afterEach, describe, expect, it } from 'vitest'
import { sha256Hex } from '../../../shared/document/sha256.ts'
import { GENESIS_HASH, eventHash, verifyChain } from '../../../shared/protocol/eventLog.ts'
import type { Actor } from '../../../shared/protocol/room.ts'
import { AppendRefusedError, toArchiveEvent, type NewEvent, type NewRoom, type Store } from '../../../server/store/Store.ts'

export interface StoreHarness<S extends Store = Store> {
  /** A new store over a new, empty database. */
  open(): Promise<S>
  /** A new store over the database of `s`, which is closed by then (a server restart). */
  reopen?(s: S): Promise<S>
  /** Runs raw SQL on the database of `s`, to test what the database itself refuses. */
  exec(s: S, sql: string): Promise<unknown>
}

const alice: Actor = { role: 'borrower', name: 'Alice' }
const bank: Actor = { role: 'lender', name: 'Bank' }
const server: Actor = { role: 'system', name: 'server' }
const room = (id: string): NewRoom => ({ id, title: `Room ${id}`, currency: 'CNY', meta: { invites: [] } })
const update = (n: number): Uint8Array => new Uint8Array([n, n + 1, n + 2])
const upd = (n: number): NewEvent => ({ actor: alice, type: 'update', payload: update(n) })
const chat = (clientId: string, text: string): NewEvent => ({ actor: alice, type: 'chat', payload: { id: text, clientId, text }, clientId })
const lock = (): NewEvent => ({ actor: server, type: 'lock', payload: { hash: 'h' } })

export function describeStore<S extends Store>(name: string, harness: StoreHarness<S>): void {
  describe(name, () => {
    const stores: S[] = []
    afterEach(async () => {
      for (const s of stores.splice(0)) await s.close()
    })
    const open = async (): Promise<S> => {
      const s = await harness.open()
      stores.push(s)
      return s
    }

    it('chains every event: hash = sha256(prevHash + canonical JSON), seq from 1, genesis prevHash', async () => {
      const s = await open()
      await s.createRoom(room('a'), [{ actor: { role: 'system', name: 'operator' }, type: 'create', payload: { title: 'Room a' } }])
      await s.append('a', [upd(1)])
      await s.append('a', [chat('c1', 'hi'), { actor: alice, type: 'join', payload: {} }])
      const events = await s.readEvents('a')
      expect(events.map((e) => [e.seq, e.type])).toEqual([
        [1, 'create'],
        [2, 'update'],
        [3, 'chat'],
        [4, 'join'],
      ])
      expect(events[0]!.prevHash).toBe(GENESIS_HASH)
      // The exact formula, recomputed with the browser-side SHA-256.
      const e = events[1]!
      expect(e.hash).toBe(sha256Hex(events[0]!.hash + JSON.stringify({ actor: { name: 'Alice', role: 'borrower' }, payload: 'AQID', seq: 2, ts: e.ts, type: 'update' })))
      expect(e.hash).toBe(eventHash(e.prevHash, e))
      expect(verifyChain(events.map(toArchiveEvent))).toEqual({ ok: true, lastHash: events[3]!.hash })
      const rec = await s.getRoom('a')
      expect(rec).toMatchObject({ lastSeq: 4, lastHash: events[3]!.hash, lastActivity: events[3]!.ts, phase: 'negotiating' })
    })

    it('keeps the staff member in the lender’s seat with each event, hashed, and nobody with the others', async () => {
      const s = await open()
      const seat: Actor = { role: 'lender', name: 'Ben Agent', staffId: 'stf_1', orgId: 'org_1' }
      await s.createRoom(room('a'), [upd(1)])
      const [appended] = await s.append('a', [{ actor: seat, type: 'update', payload: update(2) }, chat('c1', 'hi'), { actor: seat, type: 'chat', payload: { id: 'x', clientId: 'c2', text: 'ok' }, clientId: 'c2' }])
      expect(appended!.event.actor).toEqual(seat)
      const events = await s.readEvents('a')
      expect(events.map((e) => e.actor)).toEqual([alice, seat, alice, seat])
      expect(events[1]!.hash).toBe(eventHash(events[1]!.prevHash, events[1]!))
      expect(verifyChain(events.map(toArchiveEvent))).toMatchObject({ ok: true })
      expect((await s.readEventsOfType('a', 'chat')).map((e) => e.actor)).toEqual([alice, seat])
    })

    it('detects an altered, dropped or reordered event', async () => {
      const s = await open()
      await s.createRoom(room('a'), [upd(1)])
      for (let i = 2; i < 6; i++) await s.append('a', [upd(i)])
      const log = (await s.readEvents('a')).map(toArchiveEvent)
      const altered = log.map((e) => (e.seq === 3 ? { ...e, payload: 'AAAA' } : e))
      expect(verifyChain(altered)).toMatchObject({ ok: false, seq: 3 })
      expect(verifyChain(log.filter((e) => e.seq !== 2))).toMatchObject({ ok: false })
      expect(verifyChain([log[0]!, log[2]!, log[1]!, ...log.slice(3)])).toMatchObject({ ok: false })
    })

    it('keeps the log append-only', async () => {
      const s = await open()
      await s.createRoom(room('a'), [upd(1)])
      await expect(harness.exec(s, "UPDATE events SET type = 'x'")).rejects.toThrow(/append-only/)
      await expect(harness.exec(s, 'DELETE FROM events')).rejects.toThrow(/append-only/)
      expect((await s.readEvents('a')).length).toBe(1)
    })

    it('stores JSON payloads exactly as hashed (key order, unicode, numbers)', async () => {
      const s = await open()
      await s.createRoom(room('a'), [])
      const payload = { z: 1, a: { y: [1.5, -0, 1e21, 12_345_678_901_234], b: null }, text: '借款 😀 "q" \\ \u0000 \ud800', m: true }
      const [r] = await s.append('a', [{ actor: { role: 'observer', name: 'Ⅻ 名字' }, type: 'rating', payload }])
      const [stored] = await s.readEvents('a')
      expect(stored!.payload).toEqual(JSON.parse(JSON.stringify(payload)))
      expect(stored!.actor).toEqual({ role: 'observer', name: 'Ⅻ 名字' })
      expect(stored!.hash).toBe(r!.event.hash)
      expect(verifyChain([toArchiveEvent(stored!)]).ok).toBe(true)
    })

    it('stores a chat clientId once per room, even twice in one batch, and returns the stored one', async () => {
      const s = await open()
      await s.createRoom(room('a'), [])
      await s.createRoom(room('b'), [])
      const [r1, r2] = await Promise.all([s.append('a', [chat('same', 'first')]), s.append('a', [chat('same', 'second')])])
      expect(r1![0]).toMatchObject({ duplicate: false, event: { seq: 1, payload: { text: 'first' } } })
      expect(r2![0]).toMatchObject({ duplicate: true, event: { seq: 1, payload: { text: 'first' } } })
      const [other] = await s.append('b', [chat('same', 'in b')])
      expect(other).toMatchObject({ duplicate: false })
      expect((await s.readEvents('a')).length).toBe(1)
      // Later, from the database.
      const [again] = await s.append('a', [chat('same', 'third')])
      expect(again).toMatchObject({ duplicate: true, event: { seq: 1, hash: r1![0]!.event.hash, payload: { text: 'first' } } })
    })

    it('commits appends of many rooms together and keeps each room in call order', async () => {
      const s = await open()
      const ids = ['r1', 'r2', 'r3']
      for (const id of ids) await s.createRoom(room(id), [])
      await Promise.all(ids.flatMap((id) => Array.from({ length: 20 }, (_, i) => s.append(id, [upd(i)]))))
      for (const id of ids) {
        const events = await s.readEvents(id)
        expect(events.map((e) => (e.payload as Uint8Array)[0])).toEqual(Array.from({ length: 20 }, (_, i) => i))
        expect(verifyChain(events.map(toArchiveEvent)).ok).toBe(true)
      }
    })

    it('refuses appends to an unknown room without harming the others, and poisons that room until it is loaded', async () => {
      const s = await open()
      await s.createRoom(room('a'), [])
      const [bad, good] = await Promise.allSettled([s.append('ghost', [upd(1)]), s.append('a', [upd(2)])])
      expect(bad.status).toBe('rejected')
      expect(good.status).toBe('fulfilled')
      await expect(s.append('ghost', [{ actor: alice, type: 'join', payload: {} }])).rejects.toThrow(/earlier append/)
      expect(await s.loadRoom('ghost', 10)).toBeNull()
    })

    it('loads latest snapshot + later updates, recent chat and system lines, and who is still marked online', async () => {
      const s = await open()
      await s.createRoom(room('a'), [upd(1)])
      await s.append('a', [{ actor: alice, type: 'join', payload: {} }])
      await s.append('a', [upd(2)])
      await s.saveSnapshot('a', { seq: 3, state: update(9), owners: { '42': 'borrower' } })
      await s.saveSnapshot('a', { seq: 2, state: update(8), owners: {} })
      await s.append('a', [upd(3)])
      for (let i = 0; i < 5; i++) await s.append('a', [chat(`${i}`, `${i}`)])
      await s.append('a', [{ actor: bank, type: 'join', payload: {} }])
      await s.append('a', [{ actor: bank, type: 'leave', payload: {} }])
      const loaded = (await s.loadRoom('a', 3))!
      expect(loaded.snapshot).toEqual({ seq: 3, state: update(9), owners: { '42': 'borrower' } })
      expect(loaded.updates.map((e) => e.seq)).toEqual([4])
      expect(loaded.recentChat.map((e) => (e.payload as { text: string }).text)).toEqual(['2', '3', '4'])
      expect(loaded.recentSystem.map((e) => e.type)).toEqual(['join', 'join', 'leave'])
      expect(loaded.presence).toEqual([
        { role: 'borrower', name: 'Alice', dangling: true },
        { role: 'lender', name: 'Bank', dangling: false },
      ])
      expect(loaded.record).toMatchObject({ id: 'a', lastSeq: 11, phase: 'negotiating' })
    })

    it('reads every event of one type, in order', async () => {
      const s = await open()
      await s.createRoom(room('a'), [upd(1)])
      await s.append('a', [chat('1', 'one'), { actor: alice, type: 'join', payload: {} }, chat('2', 'two')])
      expect((await s.readEventsOfType('a', 'chat')).map((e) => [e.seq, (e.payload as { text: string }).text])).toEqual([
        [2, 'one'],
        [4, 'two'],
      ])
      expect(await s.readEventsOfType('a', 'attachment')).toEqual([])
      expect((await s.readEvents('a', { fromSeq: 2, toSeq: 3 })).map((e) => e.seq)).toEqual([2, 3])
    })

    it('sets the phase with the events that change it', async () => {
      const s = await open()
      await s.createRoom(room('a'), [])
      await s.append('a', [lock()], { phase: 'locked', agreementHash: 'abc' })
      expect(await s.getRoom('a')).toMatchObject({ phase: 'locked', agreementHash: 'abc', lastSeq: 1 })
      expect((await s.listRooms()).map((r) => r.id)).toEqual(['a'])
    })

    it('locks once: a second lock and any later document update are refused, other events go on', async () => {
      const s = await open()
      await s.createRoom(room('a'), [upd(1)])
      await s.append('a', [lock()], { phase: 'locked', agreementHash: 'first' })
      await expect(s.append('a', [lock()], { phase: 'locked', agreementHash: 'second' })).rejects.toThrow(/already locked/)
      // A failed append poisons the room until it is loaded again.
      await expect(s.append('a', [chat('x', 'x')])).rejects.toThrow(/earlier append/)
      expect((await s.loadRoom('a', 10))!.record).toMatchObject({ phase: 'locked', agreementHash: 'first', lastSeq: 2 })
      await expect(s.append('a', [upd(2)])).rejects.toThrow(/locked/)
      await s.loadRoom('a', 10)
      const [after] = await s.append('a', [chat('y', 'after the lock')])
      expect(after!.event.seq).toBe(3)
    })

    it('appends only onto the seq the caller expects (ifLastSeq)', async () => {
      const s = await open()
      await s.createRoom(room('a'), [upd(1), upd(2)])
      await expect(s.append('a', [lock()], { phase: 'locked', ifLastSeq: 1 })).rejects.toThrow(/moved on/)
      expect(await s.getRoom('a')).toMatchObject({ phase: 'negotiating', lastSeq: 2 })
      await s.loadRoom('a', 10)
      await s.append('a', [lock()], { phase: 'locked', ifLastSeq: 2 })
      expect(await s.getRoom('a')).toMatchObject({ phase: 'locked', lastSeq: 3 })
    })

    it('locks on a decided state while chat goes on, but not after a change of content (ifNoChangeAfter)', async () => {
      const s = await open()
      await s.createRoom(room('a'), [upd(1), upd(2)])
      // Chat after the decision does not matter…
      await s.append('a', [chat('c1', 'hello')])
      const [ok] = await s.append('a', [lock()], { phase: 'locked', ifNoChangeAfter: 2 })
      expect(ok!.event.seq).toBe(4)
      expect(await s.getRoom('a')).toMatchObject({ phase: 'locked' })

      await s.createRoom(room('b'), [upd(1)])
      // …an update after it does, also one queued in the same batch before the lock.
      const settled = await Promise.allSettled([s.append('b', [upd(2)]), s.append('b', [lock()], { phase: 'locked', ifNoChangeAfter: 1 })])
      expect(settled.map((r) => r.status)).toEqual(['fulfilled', 'rejected'])
      const reason = (settled[1] as PromiseRejectedResult).reason as Error
      expect(reason).toBeInstanceOf(AppendRefusedError)
      expect(reason.message).toMatch(/changed after seq 1/)
      expect(await s.getRoom('b')).toMatchObject({ phase: 'negotiating', lastSeq: 2 })
    })

    it('in one batch, a refused append keeps the ones before it and fails the ones after it', async () => {
      const s = await open()
      await s.createRoom(room('a'), [])
      const settled = await Promise.allSettled([
        s.append('a', [lock()], { phase: 'locked' }),
        s.append('a', [chat('c', 'before the refusal')]),
        s.append('a', [lock()], { phase: 'locked' }),
        s.append('a', [chat('d', 'after the refusal')]),
      ])
      expect(settled.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'rejected'])
      expect(String((settled[3] as PromiseRejectedResult).reason)).toMatch(/earlier append/)
      expect((await s.readEvents('a')).map((e) => e.type)).toEqual(['lock', 'chat'])
    })

    it('commits the appends called before close, and refuses those after it', async () => {
      const s = await harness.open()
      await s.createRoom(room('a'), [])
      const pending = Promise.all([s.append('a', [upd(1)]), s.append('a', [upd(2)])])
      await s.close()
      expect((await pending).map(([r]) => r!.event.seq)).toEqual([1, 2])
      await expect(s.append('a', [upd(3)])).rejects.toThrow(/closed/)
    })

    it('survives its own restart: finds the chain head again', async ({ skip }) => {
      if (!harness.reopen) return skip('this store has no database to reopen')
      const s1 = await harness.open()
      await s1.createRoom(room('a'), [upd(1)])
      await s1.append('a', [upd(2)])
      await s1.close()
      const s2 = await harness.reopen(s1)
      stores.push(s2)
      await s2.append('a', [upd(3)])
      const events = await s2.readEvents('a')
      expect(events.map((e) => e.seq)).toEqual([1, 2, 3])
      expect(verifyChain(events.map(toArchiveEvent)).ok).toBe(true)
    })

    it('revokes invites per room and role: one step per revocation, even two at once; kept across a restart', async () => {
      const none = { borrower: 0, lender: 0, observer: 0 }
      const s1 = await harness.open()
      await s1.createRoom(room('a'), [upd(1)])
      await s1.createRoom(room('b'), [upd(1)])
      expect(await s1.inviteGenerations('a')).toEqual(none)
      expect(await s1.revokeInvites('a', ['borrower', 'lender', 'observer'])).toEqual({ borrower: 1, lender: 1, observer: 1 })
      expect(await s1.revokeInvites('a', ['lender', 'lender'])).toEqual({ borrower: 1, lender: 2, observer: 1 })
      await Promise.all([s1.revokeInvites('a', ['observer']), s1.revokeInvites('a', ['observer'])])
      expect(await s1.inviteGenerations('a')).toEqual({ borrower: 1, lender: 2, observer: 3 })
      // Another room is untouched; an unknown room is neither created nor revoked.
      expect(await s1.inviteGenerations('b')).toEqual(none)
      expect(await s1.revokeInvites('nope', ['borrower'])).toBeNull()
      expect(await s1.inviteGenerations('nope')).toEqual(none)
      // The log is not touched by the record itself.
      expect((await s1.readEvents('a')).length).toBe(1)
      if (!harness.reopen) return void stores.push(s1)
      await s1.close()
      const s2 = await harness.reopen(s1)
      stores.push(s2)
      expect(await s2.inviteGenerations('a')).toEqual({ borrower: 1, lender: 2, observer: 3 })
    })
  })
}
