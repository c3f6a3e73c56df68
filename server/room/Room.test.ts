import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { contentHashOfDoc } from '../../shared/content/contentHash.ts'
import { readContent } from '../../shared/document/roomDoc.ts'
import { verifyChain } from '../../shared/protocol/eventLog.ts'
import {
  borrower,
  createSampleRoom,
  lender,
  nothingHeard,
  observer,
  openRoom,
  recordingListener,
  silentLog,
  sampleTerms as terms,
  syncedClient as client,
  type Heard,
} from '../../test/support/room/roomFixtures.ts'
import { SqliteStore } from '../store/SqliteStore.ts'
import { toArchiveEvent } from '../store/Store.ts'
import { loadRoom } from './loadRoom.ts'
import type { Room } from './Room.ts'

describe('Room', () => {
  let store: SqliteStore
  let heard: Heard
  let room: Room

  beforeEach(async () => {
    store = new SqliteStore(':memory:')
    heard = nothingHeard()
    room = await openRoom(store, await createSampleRoom(store), heard)
  })
  afterEach(async () => {
    room.dispose()
    await store.close()
  })

  it('starts with the terms of the creation request', () => {
    expect(readContent(room.doc).terms).toEqual(terms)
  })

  it('stores an accepted update before broadcasting it, with the actor', async () => {
    const c = client(room)
    const u = c.edit((d) => d.getMap('terms').set('termMonths', 24))
    const r = room.applyUpdate(borrower, u, 'conn-1')
    expect(r.ok).toBe(true)
    expect(heard.updates).toHaveLength(0) // not before the commit
    if (r.ok) await r.committed
    expect(heard.updates).toHaveLength(1)
    expect(heard.updates[0]!.origin).toBe('conn-1')
    const events = await store.readEvents(room.id)
    const last = events.at(-1)!
    expect(last.type).toBe('update')
    expect(last.actor).toEqual({ role: 'borrower', name: 'Bo' })
    expect(verifyChain(events.map(toArchiveEvent)).ok).toBe(true)
    expect(room.doc.getMap('terms').get('termMonths')).toBe(24)
  })

  it('refuses a lender write to the profile and a borrower write to the baseline, storing nothing', async () => {
    const before = (await store.readEvents(room.id)).length
    const l = client(room)
    const r1 = room.applyUpdate(lender, l.edit((d) => d.getMap('profile').set('monthlyIncome', 1)))
    expect(r1).toMatchObject({ ok: false, error: 'forbidden_write' })
    const b = client(room)
    const r2 = room.applyUpdate(borrower, b.edit((d) => d.getMap('baseline').set('outstandingPrincipal', 1)))
    expect(r2).toMatchObject({ ok: false, error: 'forbidden_write' })
    expect(room.doc.getMap('profile').size).toBe(0)
    expect(room.doc.getMap('baseline').size).toBe(0)
    // A mixed update (terms + profile) is refused as a whole. (A fresh client: `l`'s next edits
    // depend on its refused one and could never apply, which is why such a connection is closed.)
    const r3 = room.applyUpdate(
      lender,
      client(room).edit((d) => d.transact(() => {
        d.getMap('terms').set('termMonths', 36)
        d.getMap('profile').set('assets', 5)
      })),
    )
    expect(r3).toMatchObject({ ok: false, error: 'forbidden_write' })
    expect(room.doc.getMap('terms').get('termMonths')).toBe(12)
    await room.whenIdle()
    expect((await store.readEvents(room.id)).length).toBe(before)
  })

  it('lets the borrower write the profile and the lender the baseline', async () => {
    const b = client(room)
    const r = room.applyUpdate(borrower, b.edit((d) => d.getMap('profile').set('monthlyIncome', 800_000)))
    expect(r.ok).toBe(true)
    const l = client(room)
    expect(room.applyUpdate(lender, l.edit((d) => d.getMap('baseline').set('daysPastDue', 30))).ok).toBe(true)
  })

  it('refuses deleting a profile entry as the lender', async () => {
    const b = client(room)
    room.applyUpdate(borrower, b.edit((d) => d.getMap('profile').set('assets', 10)))
    const l = client(room)
    const r = room.applyUpdate(lender, l.edit((d) => d.getMap('profile').delete('assets')))
    expect(r).toMatchObject({ ok: false, error: 'forbidden_write' })
    expect(room.doc.getMap('profile').get('assets')).toBe(10)
  })

  it('drops observer updates and every update after the lock', async () => {
    const o = client(room)
    expect(room.applyUpdate(observer, o.edit((d) => d.getText('clauses').insert(0, 'x')))).toMatchObject({ ok: false, error: 'read_only' })
    room.phase = 'locked'
    const b = client(room)
    expect(room.applyUpdate(borrower, b.edit((d) => d.getText('clauses').insert(0, 'y')))).toMatchObject({ ok: false, error: 'locked' })
    expect(room.doc.getText('clauses').toString()).toBe('')
  })

  it('refuses garbage, unknown roots, nested types and updates with missing dependencies', () => {
    expect(room.applyUpdate(borrower, new Uint8Array([1, 2, 3, 250, 250]))).toMatchObject({ ok: false, error: 'invalid_update' })
    const b = client(room)
    expect(room.applyUpdate(borrower, b.edit((d) => d.getMap('evil').set('x', 1)))).toMatchObject({ ok: false })
    const nested = client(room)
    expect(room.applyUpdate(borrower, nested.edit((d) => d.getMap('terms').set('x', new Y.Map())))).toMatchObject({
      ok: false,
      error: 'invalid_update',
    })
    // Two edits; the room only gets the second one.
    const c = client(room)
    c.edit((d) => d.getText('clauses').insert(0, 'first '))
    const second = c.edit((d) => d.getText('clauses').insert(6, 'second'))
    expect(room.applyUpdate(borrower, second)).toMatchObject({ ok: false, error: 'missing_dependencies' })
    expect(room.doc.store.pendingStructs).toBeNull()
    expect(room.doc.getText('clauses').toString()).toBe('')
  })

  it('binds a Yjs client id to the role that first wrote with it', () => {
    const b = client(room)
    expect(room.applyUpdate(borrower, b.edit((d) => d.getText('clauses').insert(0, 'a'))).ok).toBe(true)
    // The lender replays an edit made with the borrower's client id.
    const forged = b.edit((d) => d.getText('clauses').insert(1, 'b'))
    expect(room.applyUpdate(lender, forged)).toMatchObject({ ok: false, error: 'forbidden_write' })
    expect(room.applyUpdate(borrower, forged).ok).toBe(true)
  })

  it('treats a repeated update as a no-op and stores nothing for it', async () => {
    const b = client(room)
    const u = b.edit((d) => d.getText('clauses').insert(0, 'hello'))
    const r1 = room.applyUpdate(borrower, u)
    if (r1.ok) await r1.committed
    const n = (await store.readEvents(room.id)).length
    expect(room.applyUpdate(borrower, u)).toMatchObject({ ok: true, applied: false })
    // A whole-document sync step 2 (with the full delete set) from the other party changes nothing.
    const l = client(room)
    expect(room.applyUpdate(lender, Y.encodeStateAsUpdate(l.doc))).toMatchObject({ ok: true, applied: false })
    await room.whenIdle()
    expect((await store.readEvents(room.id)).length).toBe(n)
  })

  it('keeps currentHash equal to the content hash of the document', async () => {
    const h0 = room.currentHash
    const b = client(room)
    room.applyUpdate(borrower, b.edit((d) => d.getMap('terms').set('termMonths', 18)))
    expect(room.currentHash).not.toBe(h0)
    expect(room.currentHash).toBe(contentHashOfDoc(b.doc))
  })

  it('stores chat before acknowledging it, once per clientId', async () => {
    const [a, b] = await Promise.all([
      room.sendChat(borrower, { clientId: 'c1', text: '  hello  ' }),
      room.sendChat(borrower, { clientId: 'c1', text: 'hello' }),
    ])
    expect(a).toMatchObject({ ok: true, duplicate: false, message: { text: 'hello', role: 'borrower', name: 'Bo', clientId: 'c1' } })
    expect(b).toMatchObject({ ok: true, duplicate: true })
    const again = await room.sendChat(borrower, { clientId: 'c1', text: 'hello' })
    expect(again).toMatchObject({ ok: true, duplicate: true })
    if (a.ok && again.ok) expect(again.message).toEqual(a.message)
    expect(heard.chat).toHaveLength(1)
    const obs = await room.sendChat(observer, { clientId: 'c2', text: 'observers may talk' })
    expect(obs.ok).toBe(true)
    expect(await room.sendChat(borrower, { clientId: 'c3', text: '   ' })).toMatchObject({ ok: false, error: 'invalid_payload' })
    const chats = (await store.readEvents(room.id)).filter((e) => e.type === 'chat')
    expect(chats).toHaveLength(2)
  })

  it('logs a join for the first connection of a participant and a leave for the last', async () => {
    const id = { role: 'lender' as const, name: 'Li' }
    await room.join(id, 'a')
    await room.join(id, 'b')
    expect(room.participants).toEqual([{ role: 'lender', name: 'Li', online: true }])
    await room.leave('a')
    expect(room.participants[0]!.online).toBe(true)
    await room.leave('b')
    expect(room.participants[0]!.online).toBe(false)
    expect(heard.events.map((e) => e.type)).toEqual(['joined', 'left'])
    expect(heard.states.at(-1)!.participants[0]!.online).toBe(false)
    const types = (await store.readEvents(room.id)).map((e) => e.type)
    expect(types).toEqual(['create', 'update', 'join', 'leave'])
    expect(room.history().map((h) => h.kind)).toEqual(['event', 'event'])
  })

  it('reloads exactly: snapshot + later updates, chat history, client id owners, dangling joins closed', async () => {
    const b = client(room)
    for (let i = 0; i < 5; i++) {
      const r = room.applyUpdate(borrower, b.edit((d) => d.getText('clauses').insert(0, `${i}`)))
      expect(r.ok).toBe(true)
    }
    await room.whenIdle()
    await room.snapshot()
    const r = room.applyUpdate(borrower, b.edit((d) => d.getMap('profile').set('assets', 7)))
    expect(r.ok).toBe(true)
    await room.sendChat(lender, { clientId: 'x', text: 'hi' })
    await room.join({ role: 'borrower', name: 'Bo' }, 'conn')
    await room.whenIdle()
    const content = readContent(room.doc)
    const seq = room.lastSeq
    room.dispose()

    room = (await loadRoom(room.id, { store, log: silentLog, listener: recordingListener(heard), snapshotEvery: 1000 }))!
    expect(readContent(room.doc)).toEqual(content)
    expect(room.lastSeq).toBe(seq)
    expect(room.history().filter((h) => h.kind === 'chat')).toHaveLength(1)
    await room.whenIdle()
    const events = await store.readEvents(room.id)
    expect(events.at(-1)).toMatchObject({ type: 'leave', actor: { role: 'borrower' }, payload: { reason: 'server_restart' } })
    expect(verifyChain(events.map(toArchiveEvent)).ok).toBe(true)
    // The client id is still the borrower's after the reload.
    const forged = b.edit((d) => d.getText('clauses').insert(0, 'z'))
    expect(room.applyUpdate(lender, forged)).toMatchObject({ ok: false, error: 'forbidden_write' })
  })
})
