// Confirmation and lock, driven on the Room directly (no sockets): the lock is one synchronous
// decision, so the race with concurrent edits is tested here without any network.
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import type { Agreement } from '../../shared/agreement/agreement.ts'
import { agreementHash } from '../../shared/agreement/agreement.ts'
import { summaryHash } from '../../shared/agreement/summaryText.ts'
import { verifyAgreement } from '../../shared/agreement/verifyAgreement.ts'
import { contentHashOfDoc } from '../../shared/content/contentHash.ts'
import { readContent } from '../../shared/document/roomDoc.ts'
import { verifyChain } from '../../shared/protocol/eventLog.ts'
import { removeTemporaryKeys, temporaryServerKey } from '../../test/support/agreement/sampleAgreement.ts'
import { bothParties, borrower, createSampleRoom, lender, nothingHeard, observer, openRoom, syncedClient as client, type Heard } from '../../test/support/room/roomFixtures.ts'
import { SqliteStore } from '../store/SqliteStore.ts'
import { toArchiveEvent } from '../store/Store.ts'
import type { Room } from './Room.ts'

const key = temporaryServerKey()
afterAll(removeTemporaryKeys)

describe('Room confirmation and lock', () => {
  let store: SqliteStore
  let heard: Heard
  let room: Room

  const load = (id: string): Promise<Room> => openRoom(store, id, heard, { serverKey: key })

  beforeEach(async () => {
    store = new SqliteStore(':memory:')
    heard = nothingHeard()
    room = await load(await createSampleRoom(store, bothParties))
  })
  afterEach(async () => {
    room.dispose()
    await store.close()
  })

  const types = async (): Promise<string[]> => (await store.readEvents(room.id)).map((e) => e.type)

  it('refuses observers, stale hashes, blank names and invalid content; records nothing', async () => {
    const h = room.currentHash
    expect(await room.confirm(observer, { hash: h, fullName: 'M' })).toMatchObject({ ok: false, error: 'forbidden' })
    expect(await room.confirm(borrower, { hash: 'f'.repeat(64), fullName: 'Bo Li' })).toEqual({
      ok: false,
      error: 'stale_hash',
      message: expect.any(String),
      currentHash: h,
    })
    expect(await room.confirm(borrower, { hash: h, fullName: '   ' })).toMatchObject({ ok: false, error: 'invalid_payload' })
    const r = room.applyUpdate(borrower, client(room).edit((d) => d.getMap('terms').set('termMonths', 0)))
    expect(r.ok).toBe(true)
    expect(await room.confirm(borrower, { hash: room.currentHash, fullName: 'Bo Li' })).toMatchObject({ ok: false, error: 'invalid_content' })
    expect(await room.withdraw(observer)).toMatchObject({ ok: false, error: 'forbidden' })
    await room.whenIdle()
    expect(await types()).toEqual(['create', 'update', 'update'])
    expect(room.confirmations).toEqual([])
  })

  it('starts with a first due date, and refuses to confirm once it is cleared (first_due_date_required); records nothing', async () => {
    expect(readContent(room.doc).commitments.firstDueDate).toMatch(/^\d{4}-\d{2}-\d{2}$/)
    const r = room.applyUpdate(lender, client(room).edit((d) => d.getMap('commitments').delete('firstDueDate')))
    if (r.ok) await r.committed
    const ack = await room.confirm(borrower, { hash: room.currentHash, fullName: 'Bo Li' })
    expect(ack).toEqual({ ok: false, error: 'first_due_date_required', message: expect.stringContaining('first due date') })
    expect(room.confirmations).toEqual([])
    await room.whenIdle()
    expect(await types()).toEqual(['create', 'update', 'update'])
  })

  it('records a confirmation, shows it in room:state and a system line, and withdraws it', async () => {
    const h = room.currentHash
    const ack = await room.confirm(borrower, { hash: h, fullName: ' Bo Li ' })
    expect(ack).toMatchObject({ ok: true, state: { phase: 'negotiating', confirmations: [{ role: 'borrower', name: 'Bo', fullName: 'Bo Li', hash: h }] } })
    expect(heard.events.at(-1)).toMatchObject({ type: 'confirmed', actor: borrower, params: { hash: h, fullName: 'Bo Li' } })
    expect(heard.states.at(-1)!.confirmations).toHaveLength(1)
    // A resend (lost ack) logs nothing more.
    expect(await room.confirm(borrower, { hash: h, fullName: 'Bo Li' })).toMatchObject({ ok: true })
    expect(await room.withdraw(borrower)).toMatchObject({ ok: true, state: { confirmations: [] } })
    expect(heard.events.at(-1)).toMatchObject({ type: 'withdrawn', actor: borrower })
    expect(await room.withdraw(borrower)).toMatchObject({ ok: true })
    expect(await types()).toEqual(['create', 'update', 'confirm', 'withdraw'])
  })

  it('clears every confirmation on any change of content, in the same append as the change', async () => {
    await room.confirm(borrower, { hash: room.currentHash, fullName: 'Bo Li' })
    const r = room.applyUpdate(lender, client(room).edit((d) => d.getText('clauses').insert(0, 'x')))
    expect(room.confirmations).toEqual([]) // at once, not after the write
    if (r.ok) await r.committed
    expect(heard.events.at(-1)).toMatchObject({ type: 'cleared', actor: lender })
    expect(heard.states.at(-1)!.confirmations).toEqual([])
    const events = await store.readEvents(room.id)
    expect(events.slice(-3).map((e) => e.type)).toEqual(['confirm', 'update', 'cleared'])
    expect(events.at(-1)!.payload).toMatchObject({ roles: ['borrower'] })
  })

  it('locks when both confirmed the same hash: one append, a signed agreement that verifies, no change after', async () => {
    const h = room.currentHash
    const content = readContent(room.doc)
    await room.confirm(borrower, {
      hash: h,
      fullName: '张伟',
      summaryLang: 'zh',
      summaryHash: summaryHash(content, 'zh', 'CNY'),
      shownAt: Date.now() - 5000,
    }, { ip: '203.0.113.7', userAgent: 'UA/1' })
    const ack = await room.confirm(lender, { hash: h, fullName: 'Li Na' })
    expect(ack).toMatchObject({ ok: true, state: { phase: 'locked', agreementHash: room.agreementHash } })
    expect(room.phase).toBe('locked')
    const agreement = room.agreement!
    expect(agreementHash(agreement)).toBe(room.agreementHash)
    expect(agreement.contentHash).toBe(h)
    expect(agreement.confirmations.map((c) => [c.role, c.name])).toEqual([
      ['borrower', '张伟'],
      ['lender', 'Li Na'],
    ])
    expect(agreement.confirmations[0]).toMatchObject({ summaryLang: 'zh', ip: '203.0.113.7', userAgent: 'UA/1' })
    const verified = await verifyAgreement(JSON.parse(JSON.stringify(agreement)), { publicKey: key.publicPem })
    expect(verified.problems).toEqual([])
    expect(verified.valid).toBe(true)

    const events = await store.readEvents(room.id)
    const lock = events.at(-1)!
    expect(events.slice(-2).map((e) => e.type)).toEqual(['confirm', 'lock'])
    expect(lock.payload).toMatchObject({ phase: 'locked', contentHash: h, agreementHash: room.agreementHash })
    // The agreement pins the log head the lock was decided on: the borrower's confirmation, just before.
    expect(agreement.logHead).toEqual({ seq: lock.seq - 2, hash: events.at(-3)!.hash })
    expect(events.at(-3)!.type).toBe('confirm')
    expect(verifyChain(events.map(toArchiveEvent)).ok).toBe(true)
    expect(await store.getRoom(room.id)).toMatchObject({ phase: 'locked', agreementHash: room.agreementHash })
    // The system lines show neither the address nor the agreement itself.
    const lines = heard.events.filter((e) => e.type === 'confirmed' || e.type === 'locked')
    expect(lines.map((e) => e.type)).toEqual(['confirmed', 'confirmed', 'locked'])
    for (const line of lines) {
      expect(line.params).not.toHaveProperty('ip')
      expect(line.params).not.toHaveProperty('agreement')
    }

    expect(room.applyUpdate(borrower, client(room).edit((d) => d.getText('clauses').insert(0, 'late')))).toMatchObject({ ok: false, error: 'locked' })
    // A reconnecting client whose sync changes nothing is fine.
    expect(room.applyUpdate(lender, Y.encodeStateAsUpdate(room.doc))).toMatchObject({ ok: true, applied: false })
    expect(await room.confirm(borrower, { hash: h, fullName: '张伟' })).toMatchObject({ ok: false, error: 'locked' })
    expect(await room.withdraw(lender)).toMatchObject({ ok: false, error: 'locked' })
  })

  it('refuses a summary hash that is not the summary of this content', async () => {
    const r = await room.confirm(borrower, { hash: room.currentHash, fullName: 'Bo', summaryLang: 'en', summaryHash: 'a'.repeat(64), shownAt: 1 })
    expect(r).toMatchObject({ ok: false, error: 'summary_mismatch' })
  })

  it('decides the lock synchronously: an update before it makes the confirm stale, one after it is refused', async () => {
    const b = client(room)
    const l = client(room)
    const h = room.currentHash
    await room.confirm(borrower, { hash: h, fullName: 'Bo' })
    // The edit lands first: it clears the borrower's confirmation and the lender's hash is stale.
    expect(room.applyUpdate(borrower, b.edit((d) => d.getText('clauses').insert(0, 'a'))).ok).toBe(true)
    expect(await room.confirm(lender, { hash: h, fullName: 'Li' })).toMatchObject({ ok: false, error: 'stale_hash', currentHash: room.currentHash })
    // Both confirm again; the lock is decided inside the call, before its write: the next edit is refused.
    const h2 = room.currentHash
    await room.confirm(borrower, { hash: h2, fullName: 'Bo' })
    Y.applyUpdate(l.doc, Y.encodeStateAsUpdate(room.doc))
    const locking = room.confirm(lender, { hash: h2, fullName: 'Li' })
    expect(room.phase).toBe('locked')
    expect(room.applyUpdate(lender, l.edit((d) => d.getText('clauses').insert(0, 'too late')))).toMatchObject({ ok: false, error: 'locked' })
    expect(await locking).toMatchObject({ ok: true, state: { phase: 'locked' } })
    expect(room.agreement!.contentHash).toBe(contentHashOfDoc(room.doc))
  })

  it('never stores an update after the lock, however edits and confirmations interleave', async () => {
    const editors = [
      { actor: borrower, c: client(room) },
      { actor: lender, c: client(room) },
    ]
    // Both confirm the initial content; then edits and re-confirmations race in one synchronous burst.
    const pending: Promise<unknown>[] = []
    let refused = 0
    let rnd = 7
    const rand = (): number => (rnd = (rnd * 48271) % 2147483647) / 2147483647
    for (let i = 0; i < 400; i++) {
      const who = editors[i % 2]!
      if (rand() < 0.2) pending.push(room.confirm(who.actor, { hash: room.currentHash, fullName: who.actor.name }))
      else {
        // Each editor keeps up with the room, like a connected client.
        Y.applyUpdate(who.c.doc, Y.encodeStateAsUpdate(room.doc, Y.encodeStateVector(who.c.doc)))
        const u = who.c.edit((d) => d.getText('clauses').insert(0, `${i} `))
        const r = room.applyUpdate(who.actor, u)
        if (!r.ok) {
          expect(r.error).toBe('locked')
          refused++
          who.c = client(room) // starts over with a fresh document, as the transport makes it
        }
      }
    }
    await Promise.all(pending)
    await room.whenIdle()
    expect(room.phase).toBe('locked')
    expect(refused).toBeGreaterThan(100)
    const events = await store.readEvents(room.id)
    const lockAt = events.findIndex((e) => e.type === 'lock')
    expect(lockAt).toBeGreaterThan(0)
    expect(events.slice(lockAt).filter((e) => e.type === 'update')).toHaveLength(0)
    expect(room.agreement!.contentHash).toBe(contentHashOfDoc(room.doc))
    expect(room.agreement!.content).toEqual(readContent(room.doc))
    expect(events.filter((e) => e.type === 'lock')).toHaveLength(1)
  })

  it('freezes the baseline while a confirmation stands', async () => {
    await room.confirm(borrower, { hash: room.currentHash, fullName: 'Bo' })
    const r = room.applyUpdate(lender, client(room).edit((d) => d.getMap('baseline').set('daysPastDue', 30)))
    expect(r).toMatchObject({ ok: false, error: 'baseline_frozen' })
    expect(room.confirmations).toHaveLength(1)
    await room.withdraw(borrower)
    expect(room.applyUpdate(lender, client(room).edit((d) => d.getMap('baseline').set('daysPastDue', 30))).ok).toBe(true)
  })

  it('keeps the first confirmation across a reload, then locks; a locked room reloads locked with its agreement', async () => {
    const h = room.currentHash
    await room.confirm(borrower, { hash: h, fullName: 'Bo Li' }, { ip: '198.51.100.1', userAgent: 'UA' })
    room.dispose()
    room = await load(room.id)
    expect(room.state.confirmations).toEqual([{ role: 'borrower', name: 'Bo', fullName: 'Bo Li', hash: h, ts: expect.any(Number) }])
    expect(room.confirmations[0]).toMatchObject({ ip: '198.51.100.1', userAgent: 'UA' })
    expect(await room.confirm(lender, { hash: h, fullName: 'Li' })).toMatchObject({ ok: true, state: { phase: 'locked' } })
    const agreement = room.agreement as Agreement
    room.dispose()
    room = await load(room.id)
    expect(room.phase).toBe('locked')
    expect(room.agreement).toEqual(JSON.parse(JSON.stringify(agreement)))
    expect(room.state).toMatchObject({ phase: 'locked', agreementHash: agreementHash(agreement), lockedAt: Date.parse(agreement.lockedAt) })
    expect(room.state.confirmations.map((c) => c.role)).toEqual(['borrower', 'lender'])
    expect(room.applyUpdate(borrower, client(room).edit((d) => d.getText('clauses').insert(0, 'x')))).toMatchObject({ ok: false, error: 'locked' })
  })

  it('takes one rating per party and none from observers, also when sent twice at once', async () => {
    const [a, b] = await Promise.all([room.rate(borrower, { stars: 4, comment: ' fine ' }), room.rate(borrower, { stars: 5 })])
    expect(a).toMatchObject({ ok: true, rating: { role: 'borrower', stars: 4, comment: 'fine' } })
    expect(b).toMatchObject({ ok: false, error: 'already_rated' })
    expect(await room.rate(observer, { stars: 5 })).toMatchObject({ ok: false, error: 'forbidden' })
    expect(await room.rate(lender, { stars: 2 })).toMatchObject({ ok: true })
    expect(room.state.ratedBy).toEqual(['borrower', 'lender'])
    expect(heard.events.filter((e) => e.type === 'rated').map((e) => e.params)).toEqual([{}, {}])
    room.dispose()
    room = await load(room.id)
    expect(room.ratings.map((r) => r.stars)).toEqual([4, 2])
    expect(await room.rate(lender, { stars: 5 })).toMatchObject({ ok: false, error: 'already_rated' })
  })
})
