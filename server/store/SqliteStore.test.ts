import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { GENESIS_HASH, eventHash, verifyChain } from '../../shared/protocol/eventLog.ts'
import { sha256Hex } from '../../shared/document/sha256.ts'
import type { Actor } from '../../shared/protocol/room.ts'
import { SqliteStore } from './SqliteStore.ts'
import { toArchiveEvent, type NewRoom } from './Store.ts'

const alice: Actor = { role: 'borrower', name: 'Alice' }
const room = (id: string): NewRoom => ({ id, title: `Room ${id}`, currency: 'CNY', meta: { invites: [] } })
const update = (n: number): Uint8Array => new Uint8Array([n, n + 1, n + 2])

const stores: SqliteStore[] = []
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close()
})

function open(kind: 'memory' | 'file'): SqliteStore {
  const file = kind === 'memory' ? ':memory:' : path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'store-test-')), 'db.sqlite')
  const s = new SqliteStore(file)
  stores.push(s)
  return s
}

describe.each(['memory', 'file'] as const)('SqliteStore (%s, %s writer)', (kind) => {
  it('chains every event: hash = sha256(prevHash + canonical JSON), seq from 1, genesis prevHash', async () => {
    const s = open(kind)
    await s.createRoom(room('a'), [{ actor: { role: 'system', name: 'operator' }, type: 'create', payload: { title: 'Room a' } }])
    await s.append('a', [{ actor: alice, type: 'update', payload: update(1) }])
    await s.append('a', [
      { actor: alice, type: 'chat', payload: { id: 'm1', clientId: 'c1', text: 'hi' }, clientId: 'c1' },
      { actor: alice, type: 'join', payload: {} },
    ])
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

  it('detects an altered, dropped or reordered event', async () => {
    const s = open(kind)
    await s.createRoom(room('a'), [{ actor: alice, type: 'update', payload: update(1) }])
    for (let i = 2; i < 6; i++) await s.append('a', [{ actor: alice, type: 'update', payload: update(i) }])
    const log = (await s.readEvents('a')).map(toArchiveEvent)
    const altered = log.map((e) => (e.seq === 3 ? { ...e, payload: 'AAAA' } : e))
    expect(verifyChain(altered)).toMatchObject({ ok: false, seq: 3 })
    expect(verifyChain(log.filter((e) => e.seq !== 2))).toMatchObject({ ok: false })
    expect(verifyChain([log[0]!, log[2]!, log[1]!, ...log.slice(3)])).toMatchObject({ ok: false })
  })

  it('keeps the log append-only', async () => {
    const s = open(kind)
    await s.createRoom(room('a'), [{ actor: alice, type: 'update', payload: update(1) }])
    expect(() => s.db.prepare("UPDATE events SET type = 'x'").run()).toThrow(/append-only/)
    expect(() => s.db.prepare('DELETE FROM events').run()).toThrow(/append-only/)
  })

  it('stores a chat clientId once per room, even twice in one batch, and returns the stored one', async () => {
    const s = open(kind)
    await s.createRoom(room('a'), [])
    await s.createRoom(room('b'), [])
    const chat = (text: string) => ({ actor: alice, type: 'chat' as const, payload: { id: text, clientId: 'same', text }, clientId: 'same' })
    const [r1, r2] = await Promise.all([s.append('a', [chat('first')]), s.append('a', [chat('second')])])
    expect(r1![0]).toMatchObject({ duplicate: false, event: { seq: 1, payload: { text: 'first' } } })
    expect(r2![0]).toMatchObject({ duplicate: true, event: { seq: 1, payload: { text: 'first' } } })
    const [other] = await s.append('b', [chat('in b')])
    expect(other).toMatchObject({ duplicate: false })
    expect((await s.readEvents('a')).length).toBe(1)
  })

  it('commits appends of many rooms together and keeps each room in call order', async () => {
    const s = open(kind)
    const ids = ['r1', 'r2', 'r3']
    for (const id of ids) await s.createRoom(room(id), [])
    await Promise.all(ids.flatMap((id) => Array.from({ length: 20 }, (_, i) => s.append(id, [{ actor: alice, type: 'update', payload: update(i) }]))))
    for (const id of ids) {
      const events = await s.readEvents(id)
      expect(events.map((e) => (e.payload as Uint8Array)[0])).toEqual(Array.from({ length: 20 }, (_, i) => i))
      expect(verifyChain(events.map(toArchiveEvent)).ok).toBe(true)
    }
  })

  it('refuses appends to an unknown room without harming the others, and poisons that room until it is loaded', async () => {
    const s = open(kind)
    await s.createRoom(room('a'), [])
    const [bad, good] = await Promise.allSettled([
      s.append('ghost', [{ actor: alice, type: 'update', payload: update(1) }]),
      s.append('a', [{ actor: alice, type: 'update', payload: update(2) }]),
    ])
    expect(bad.status).toBe('rejected')
    expect(good.status).toBe('fulfilled')
    await expect(s.append('ghost', [{ actor: alice, type: 'join', payload: {} }])).rejects.toThrow(/earlier append/)
    expect(await s.loadRoom('ghost', 10)).toBeNull()
  })

  it('loads latest snapshot + later updates, recent chat and system lines, and who is still marked online', async () => {
    const s = open(kind)
    await s.createRoom(room('a'), [{ actor: alice, type: 'update', payload: update(1) }])
    await s.append('a', [{ actor: alice, type: 'join', payload: {} }])
    await s.append('a', [{ actor: alice, type: 'update', payload: update(2) }])
    await s.saveSnapshot('a', { seq: 3, state: update(9), owners: { '42': 'borrower' } })
    await s.saveSnapshot('a', { seq: 2, state: update(8), owners: {} })
    await s.append('a', [{ actor: alice, type: 'update', payload: update(3) }])
    for (let i = 0; i < 5; i++) await s.append('a', [{ actor: alice, type: 'chat', payload: { id: `${i}`, clientId: `${i}`, text: `${i}` }, clientId: `${i}` }])
    await s.append('a', [{ actor: { role: 'lender', name: 'Bank' }, type: 'join', payload: {} }])
    await s.append('a', [{ actor: { role: 'lender', name: 'Bank' }, type: 'leave', payload: {} }])
    const loaded = (await s.loadRoom('a', 3))!
    expect(loaded.snapshot).toEqual({ seq: 3, state: update(9), owners: { '42': 'borrower' } })
    expect(loaded.updates.map((e) => e.seq)).toEqual([4])
    expect(loaded.recentChat.map((e) => (e.payload as { text: string }).text)).toEqual(['2', '3', '4'])
    expect(loaded.recentSystem.map((e) => e.type)).toEqual(['join', 'join', 'leave'])
    expect(loaded.presence).toEqual([
      { role: 'borrower', name: 'Alice', dangling: true },
      { role: 'lender', name: 'Bank', dangling: false },
    ])
  })

  it('sets the phase with the events that change it', async () => {
    const s = open(kind)
    await s.createRoom(room('a'), [])
    await s.append('a', [{ actor: { role: 'system', name: 'server' }, type: 'lock', payload: { hash: 'h' } }], { phase: 'locked', agreementHash: 'abc' })
    expect(await s.getRoom('a')).toMatchObject({ phase: 'locked', agreementHash: 'abc', lastSeq: 1 })
    expect((await s.listRooms()).map((r) => r.id)).toEqual(['a'])
  })
})

describe('SqliteStore durability across reopen', () => {
  it('finds the chain head again after a restart', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'store-reopen-'))
    const file = path.join(dir, 'db.sqlite')
    const s1 = new SqliteStore(file)
    await s1.createRoom(room('a'), [{ actor: alice, type: 'update', payload: update(1) }])
    await s1.append('a', [{ actor: alice, type: 'update', payload: update(2) }])
    await s1.close()
    const s2 = new SqliteStore(file)
    stores.push(s2)
    await s2.append('a', [{ actor: alice, type: 'update', payload: update(3) }])
    const events = await s2.readEvents('a')
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3])
    expect(verifyChain(events.map(toArchiveEvent)).ok).toBe(true)
  })
})
