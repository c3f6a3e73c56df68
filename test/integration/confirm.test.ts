// Confirmation and lock over the real transports: socket.io confirm/withdraw, room:state and system lines,
// the lock racing concurrent Yjs edits, the frozen baseline, a restart between the two confirmations.
import { io } from 'socket.io-client'
import { describe, expect, it } from 'vitest'
import type { Agreement } from '../../shared/agreement/agreement.ts'
import { agreementHash } from '../../shared/agreement/agreement.ts'
import { summaryHash } from '../../shared/agreement/summaryText.ts'
import { verifyAgreement } from '../../shared/agreement/verifyAgreement.ts'
import { contentHashOfDoc } from '../../shared/content/contentHash.ts'
import { readContent } from '../../shared/document/roomDoc.ts'
import { parseArchiveFile } from '../../shared/archive/archiveFile.ts'
import { Replay } from '../../shared/archive/Replay.ts'
import { verifyArchive } from '../../shared/archive/verifyArchive.ts'
import { computeSchedule } from '../../shared/terms/schedule.ts'
import type { CreateRoomResponse } from '../../shared/protocol/http.ts'
import type { RoomState } from '../../shared/protocol/room.ts'
import { CLOSE } from '../../shared/protocol/yjs.ts'
import { confirm, joinAs, lock, settledHash, type Party } from '../helpers/negotiation.ts'
import { TERMS, connectProvider, connected, emitAck, invite, startTestServer, waitFor, type TestProvider, type TestServer, type TestSocket } from '../helpers/server.ts'
import { closeAfterEach } from '../helpers/teardown.ts'

const t = closeAfterEach()

async function server(options: Parameters<typeof startTestServer>[0] = {}): Promise<TestServer> {
  return t.track(await startTestServer(options))
}

async function party(s: TestServer, room: CreateRoomResponse, role: 'borrower' | 'lender' | 'observer'): Promise<Party> {
  return t.track(await joinAs(s, room, role))
}

/** A fresh server and room with the borrower and the lender joined. */
async function twoParties(): Promise<{ s: TestServer; room: CreateRoomResponse; b: Party; l: Party }> {
  const s = await server()
  const room = await s.createRoom()
  return { s, room, b: await party(s, room, 'borrower'), l: await party(s, room, 'lender') }
}

async function getJson<T>(s: TestServer, path: string, token?: string): Promise<{ status: number; body: T }> {
  const res = await fetch(`${s.url}${path}`, { headers: token ? { Authorization: `Bearer ${token}` } : {} })
  return { status: res.status, body: (await res.json()) as T }
}

const lastState = (p: Party): RoomState => p.log.states.at(-1)!

describe('confirm and lock', () => {
  it('locks when both confirm the same hash; everyone sees it; the agreement verifies against the server key', async () => {
    const s = await server()
    const room = await s.createRoom({ names: { borrower: 'Wang Fang', lender: 'City Bank' } })
    const b = await party(s, room, 'borrower')
    const l = await party(s, room, 'lender')
    const o = await party(s, room, 'observer')
    b.provider.doc.getText('clauses').insert(0, 'Paid on the 5th of each month.')
    const hash = await settledHash(b)
    const first = await confirm(b, hash, 'Wang Fang')
    expect(first).toMatchObject({ ok: true, state: { phase: 'negotiating', confirmations: [{ role: 'borrower', fullName: 'Wang Fang', hash }] } })
    await waitFor(() => lastState(o).confirmations.length === 1, 'observer sees the first confirmation')
    await waitFor(() => o.log.events.some((e) => e.type === 'confirmed' && e.actor.role === 'borrower'), 'confirmed line')

    const second = await confirm(l, hash, 'City Bank Ltd.')
    expect(second).toMatchObject({ ok: true, state: { phase: 'locked' } })
    const agreementHashInState = (second.state as RoomState).agreementHash!
    expect(agreementHashInState).toMatch(/^[0-9a-f]{64}$/)
    for (const p of [b, l, o]) {
      await waitFor(() => lastState(p).phase === 'locked' && lastState(p).agreementHash === agreementHashInState, `${p.role} sees the lock`)
      await waitFor(() => p.log.events.some((e) => e.type === 'locked'), `${p.role} gets the locked line`)
    }

    const agreement = await getJson<Agreement>(s, `/api/rooms/${room.roomId}/agreement`, invite(room, 'observer'))
    expect(agreement.status).toBe(200)
    expect(agreementHash(agreement.body)).toBe(agreementHashInState)
    expect(agreement.body).toMatchObject({ roomId: room.roomId, contentHash: hash, content: { clauses: 'Paid on the 5th of each month.' } })
    expect(agreement.body.confirmations.map((c) => [c.role, c.name])).toEqual([
      ['borrower', 'Wang Fang'],
      ['lender', 'City Bank Ltd.'],
    ])
    const key = await getJson<Record<string, unknown>>(s, '/api/public-key')
    expect(key.status).toBe(200)
    expect(key.body).toMatchObject({ kty: 'OKP', crv: 'Ed25519', kid: s.serverKey.kid })
    const verified = await verifyAgreement(agreement.body, { publicKey: key.body })
    expect(verified.problems).toEqual([])
    expect(verified).toMatchObject({ valid: true, key: { source: 'given', kid: s.serverKey.kid } })

    const info = await getJson<Record<string, unknown>>(s, `/api/rooms/${room.roomId}`, invite(room, 'borrower'))
    expect(info.body).toMatchObject({ phase: 'locked', agreementHash: agreementHashInState, lockedAt: Date.parse(agreement.body.lockedAt) })
    // Chat goes on after the lock.
    expect(await emitAck(o.socket, 'chat:send', { clientId: 'after-lock', text: 'congratulations' })).toMatchObject({ ok: true })
  })

  it('answers stale_hash with the current hash, and refuses observers', async () => {
    const s = await server()
    const room = await s.createRoom()
    const b = await party(s, room, 'borrower')
    const o = await party(s, room, 'observer')
    const hash = await settledHash(b)
    const stale = await confirm(b, 'e'.repeat(64), 'Zhang Wei')
    expect(stale).toMatchObject({ ok: false, error: 'stale_hash', currentHash: hash })
    expect(await confirm(o, hash, 'Mediator')).toMatchObject({ ok: false, error: 'forbidden' })
    expect(await emitAck(o.socket, 'confirm:withdraw', {})).toMatchObject({ ok: false, error: 'forbidden' })
    expect((await s.store.readEvents(room.roomId)).filter((e) => e.type === 'confirm')).toHaveLength(0)
  })

  it('clears a confirmation when the content changes: room:state shows it, a system line says so, both are logged', async () => {
    const { s, room, b, l } = await twoParties()
    const hash = await settledHash(b)
    expect(await confirm(b, hash, 'Zhang Wei')).toMatchObject({ ok: true })
    await waitFor(() => lastState(l).confirmations.length === 1, 'lender sees the confirmation')
    l.provider.doc.getMap('terms').set('termMonths', 36)
    await waitFor(() => lastState(b).confirmations.length === 0 && lastState(b).currentHash !== hash, 'borrower sees it cleared')
    await waitFor(() => b.log.events.some((e) => e.type === 'cleared' && e.actor.role === 'lender'), 'cleared line')
    const events = await s.store.readEvents(room.roomId)
    const cleared = events.find((e) => e.type === 'cleared')!
    expect(events[events.indexOf(cleared) - 1]!.type).toBe('update')
    expect(cleared).toMatchObject({ actor: { role: 'lender' }, payload: { hash, roles: ['borrower'] } })
    // The lender's confirm of the old version is stale now.
    expect(await confirm(l, hash, 'Li Na')).toMatchObject({ ok: false, error: 'stale_hash' })
    // Withdraw: confirm the new version, take it back.
    const h2 = await settledHash(b)
    expect(await confirm(b, h2, 'Zhang Wei')).toMatchObject({ ok: true })
    expect(await emitAck(b.socket, 'confirm:withdraw', {})).toMatchObject({ ok: true, state: { confirmations: [] } })
    await waitFor(() => l.log.events.some((e) => e.type === 'withdrawn'), 'withdrawn line')
    expect((await s.store.readEvents(room.roomId)).map((e) => e.type).filter((t) => ['confirm', 'withdraw', 'cleared'].includes(t))).toEqual([
      'confirm',
      'cleared',
      'confirm',
      'withdraw',
    ])
  })

  it("the cleared line and the archive say what changed: the lender's fee, before → after, and the APR it moved", async () => {
    const { s, room, b, l } = await twoParties()
    const hash = await settledHash(b)
    expect(await confirm(b, hash, 'Zhang Wei')).toMatchObject({ ok: true })
    await waitFor(() => lastState(l).confirmations.length === 1, 'lender sees the confirmation')
    l.provider.doc.getMap('terms').set('upfrontFee', 300_000)
    await waitFor(() => b.log.events.some((e) => e.type === 'cleared'), 'cleared line')
    const apr = (fee: number) => computeSchedule({ ...TERMS, upfrontFee: fee }).aprPct
    const expected = [
      { section: 'terms', key: 'upfrontFee', kind: 'money', before: 0, after: 300_000 },
      { section: 'figures', key: 'aprPct', kind: 'rate', before: apr(0), after: apr(300_000) },
    ]
    expect(apr(0)).not.toBe(apr(300_000))
    const line = b.log.events.find((e) => e.type === 'cleared')!
    expect(line.params).toEqual({ hash, roles: ['borrower'], changes: expected })

    const res = await fetch(`${s.url}/api/rooms/${room.roomId}/archive`, { headers: { Authorization: `Bearer ${invite(room, 'observer')}` } })
    const text = await res.text()
    const archive = parseArchiveFile(text)
    if (!archive.ok) throw new Error(archive.error)
    const event = archive.value.events.find((e) => e.type === 'cleared')!
    expect(event.payload).toEqual({ hash, roles: ['borrower'], changes: expected })
    expect(await verifyArchive(text)).toMatchObject({ valid: true, first: null })
    // The replay's chat shows the same line with the same figures.
    const replayed = Replay.build(archive.value.events).at(event.seq).history.at(-1)
    expect(replayed).toMatchObject({ kind: 'event', type: 'cleared', params: { changes: expected } })
  })

  it('records the consent: summary shown, language, address and browser (X-Forwarded-For only with TRUST_PROXY)', async () => {
    for (const trustProxy of [false, true]) {
      const s = await server({ trustProxy })
      const room = await s.createRoom()
      const b = await party(s, room, 'borrower')
      const hash = await settledHash(b)
      const content = readContent(b.provider.doc)
      const socket: TestSocket = io(s.url, {
        path: '/socket.io',
        auth: { token: invite(room, 'lender') },
        transports: ['websocket'],
        reconnection: false,
        forceNew: true,
        extraHeaders: { 'User-Agent': 'NegotiationTest/1.0', 'X-Forwarded-For': '203.0.113.9, 10.0.0.1' },
      })
      t.track(socket)
      await connected(socket)
      expect(await emitAck(socket, 'confirm', { hash, fullName: 'Li', summaryLang: 'en', summaryHash: 'a'.repeat(64), shownAt: Date.now() })).toMatchObject({
        ok: false,
        error: 'summary_mismatch',
      })
      expect(await emitAck(socket, 'confirm', { hash, fullName: 'Li', summaryLang: 'en' })).toMatchObject({ ok: false, error: 'invalid_payload' })
      const shownAt = new Date(Date.now() - 60_000).toISOString()
      const ok = await emitAck(socket, 'confirm', { hash, fullName: 'Li', summaryLang: 'en', summaryHash: summaryHash(content, 'en', 'CNY'), shownAt })
      expect(ok).toMatchObject({ ok: true })
      // Everyone sees the line, without the address.
      await waitFor(() => b.log.events.some((e) => e.type === 'confirmed'), 'confirmed line')
      expect(b.log.events.find((e) => e.type === 'confirmed')!.params).not.toHaveProperty('ip')
      const stored = (await s.store.readEvents(room.roomId)).find((e) => e.type === 'confirm')!
      expect(stored.payload).toMatchObject({
        hash,
        fullName: 'Li',
        summaryLang: 'en',
        shownAt,
        userAgent: 'NegotiationTest/1.0',
        ip: trustProxy ? '203.0.113.9' : '127.0.0.1',
      })
      // The lock carries the consent record into the signed agreement.
      expect(await confirm(b, hash, 'Zhang Wei')).toMatchObject({ ok: true, state: { phase: 'locked' } })
      const a = await getJson<Agreement>(s, `/api/rooms/${room.roomId}/agreement`, invite(room, 'lender'))
      expect(a.body.confirmations.find((c) => c.role === 'lender')).toMatchObject({ shownAt, summaryLang: 'en', userAgent: 'NegotiationTest/1.0' })
      expect(a.body.confirmations.find((c) => c.role === 'borrower')).not.toHaveProperty('summaryLang')
    }
  })

  it('closes a lender that changes the baseline while a confirmation stands (4403 baseline_frozen); nothing stored', async () => {
    const { s, room, b, l } = await twoParties()
    const hash = await settledHash(b)
    expect(await confirm(b, hash, 'Zhang Wei')).toMatchObject({ ok: true })
    const before = (await s.store.readEvents(room.roomId)).length
    const closed = new Promise<{ code: number; reason: string }>((resolve) => l.provider.provider.once('connection-close', (e) => resolve({ code: e!.code, reason: e!.reason })))
    l.provider.doc.getMap('baseline').set('daysPastDue', 45)
    const c = await closed
    expect(c.code).toBe(CLOSE.forbiddenWrite)
    expect(c.reason).toMatch(/^baseline_frozen: /)
    await new Promise((r) => setTimeout(r, 100))
    expect((await s.store.readEvents(room.roomId)).length).toBe(before)
    expect(lastState(b).confirmations).toHaveLength(1)
    // Starting over with a fresh document the lender sees the room as it is; after a withdrawal the baseline opens.
    l.provider.destroy()
    const fresh = t.track(connectProvider(s, room.roomId, invite(room, 'lender')))
    await fresh.synced
    expect(fresh.doc.getMap('baseline').size).toBe(0)
    expect(await emitAck(b.socket, 'confirm:withdraw', {})).toMatchObject({ ok: true })
    fresh.doc.getMap('baseline').set('daysPastDue', 45)
    await waitFor(() => s.registry.loaded(room.roomId)!.doc.getMap('baseline').get('daysPastDue') === 45, 'baseline write accepted')
  })

  it('keeps the first confirmation across a restart; the second one then locks', async () => {
    let s = await startTestServer()
    t.add(() => s.close())
    const room = await s.createRoom()
    const b = await party(s, room, 'borrower')
    const hash = await settledHash(b)
    expect(await confirm(b, hash, 'Zhang Wei')).toMatchObject({ ok: true })
    b.close()
    s = await s.restart()
    const l = await party(s, room, 'lender')
    expect(lastState(l).confirmations).toEqual([{ role: 'borrower', name: 'Borrower', fullName: 'Zhang Wei', hash, ts: expect.any(Number) }])
    expect(await confirm(l, await settledHash(l), 'Li Na')).toMatchObject({ ok: true, state: { phase: 'locked' } })
    // …and the lock survives a restart too.
    l.close()
    s = await s.restart()
    const o = await party(s, room, 'observer')
    expect(lastState(o)).toMatchObject({ phase: 'locked', agreementHash: expect.stringMatching(/^[0-9a-f]{64}$/) })
    const a = await getJson<Agreement>(s, `/api/rooms/${room.roomId}/agreement`, invite(room, 'observer'))
    expect(a.status).toBe(200)
    expect(agreementHash(a.body)).toBe(lastState(o).agreementHash)
  })

  it('lets no edit in after the lock, however the edits race it; every client ends on the agreed content', async () => {
    const { s, room, b, l } = await twoParties()
    let locked = false
    let attempts = 0
    let typed = 0
    const outcomes: string[] = []
    const type = (p: TestProvider, tag: string): void => {
      const t = p.doc.getText('clauses')
      t.insert(t.length, `${tag}${typed++} `)
    }
    while (!locked && attempts < 20) {
      attempts++
      const hash = await settledHash(b)
      await settledHash(l)
      expect(await confirm(b, hash, 'Zhang Wei')).toMatchObject({ ok: true })
      // In the same turn both editors type (each on its own connection) and the second confirmation goes out:
      // the first attempt types just before the confirm is emitted, later ones just after it.
      const burst = (): void => {
        for (let i = 0; i < 10; i++) {
          type(b.provider, 'b')
          type(l.provider, 'l')
        }
      }
      if (attempts === 1) burst()
      const second = confirm(l, hash, 'Li Na')
      if (attempts > 1) burst()
      const timer = setInterval(() => {
        type(b.provider, 'b')
        type(l.provider, 'l')
      }, 2)
      const ack = await second
      await new Promise((r) => setTimeout(r, 150))
      clearInterval(timer)
      outcomes.push(ack.ok ? 'locked' : String(ack.error))
      if (ack.ok) locked = true
      else expect(ack).toMatchObject({ ok: false, error: 'stale_hash' })
    }
    expect(locked).toBe(true)

    const events = await s.store.readEvents(room.roomId)
    const lockAt = events.findIndex((e) => e.type === 'lock')
    expect(events.filter((e) => e.type === 'lock')).toHaveLength(1)
    expect(events.slice(lockAt).filter((e) => e.type === 'update')).toHaveLength(0)
    const agreement = (await getJson<Agreement>(s, `/api/rooms/${room.roomId}/agreement`, invite(room, 'lender'))).body
    const serverDoc = s.registry.loaded(room.roomId)!.doc
    expect(agreement.contentHash).toBe(contentHashOfDoc(serverDoc))
    expect(agreement.content).toEqual(readContent(serverDoc))

    // A client whose edit came after the lock was closed with 4403 and starts over, as the browser does.
    for (const p of [b, l]) {
      let doc = p.provider
      if (doc.closes.some((c) => c.code === CLOSE.forbiddenWrite)) {
        expect(doc.closes.find((c) => c.code === CLOSE.forbiddenWrite)!.reason).toMatch(/^locked: /)
        doc.destroy()
        doc = t.track(connectProvider(s, room.roomId, invite(room, p.role)))
        await doc.synced
      }
      await waitFor(() => JSON.stringify(readContent(doc.doc)) === JSON.stringify(agreement.content), `${p.role} ends on the agreed content`)
      expect(contentHashOfDoc(doc.doc)).toBe(agreement.contentHash)
    }
    // Late edits were refused: at least one client typed after the lock.
    expect([b, l].some((p) => p.provider.closes.some((c) => c.code === CLOSE.forbiddenWrite))).toBe(true)
  })

  it('takes one rating per party over socket.io (observers cannot), shown in the room and the operator list', async () => {
    const { s, room, b, l } = await twoParties()
    const o = await party(s, room, 'observer')
    expect(await lock(b, l)).toMatchObject({ ok: true })
    expect(await emitAck(b.socket, 'rating:submit', { stars: 5, comment: 'Clear and calm.' })).toMatchObject({
      ok: true,
      rating: { role: 'borrower', stars: 5, comment: 'Clear and calm.' },
    })
    expect(await emitAck(b.socket, 'rating:submit', { stars: 1 })).toMatchObject({ ok: false, error: 'already_rated' })
    expect(await emitAck(o.socket, 'rating:submit', { stars: 1 })).toMatchObject({ ok: false, error: 'forbidden' })
    expect(await emitAck(l.socket, 'rating:submit', { stars: 6 })).toMatchObject({ ok: false, error: 'invalid_payload' })
    expect(await emitAck(l.socket, 'rating:submit', { stars: 2, comment: 'x'.repeat(2001) })).toMatchObject({ ok: false, error: 'invalid_payload' })
    // Over HTTP as well (a client without a socket).
    const res = await fetch(`${s.url}/api/rooms/${room.roomId}/rating`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${invite(room, 'lender')}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ stars: 4 }),
    })
    expect(res.status).toBe(201)
    await waitFor(() => lastState(o).ratedBy?.length === 2, 'room:state ratedBy')
    expect(o.log.events.filter((e) => e.type === 'rated').map((e) => e.params)).toEqual([{}, {}])

    const asParty = await getJson<Record<string, unknown>>(s, `/api/rooms/${room.roomId}`, invite(room, 'observer'))
    expect(asParty.body).toMatchObject({ rating: { average: 4.5, count: 2 }, ratedBy: ['borrower', 'lender'] })
    expect(asParty.body).not.toHaveProperty('ratings')
    const asOperator = await getJson<Record<string, unknown>>(s, `/api/rooms/${room.roomId}`, s.operatorKey)
    expect(asOperator.body.ratings).toEqual([
      expect.objectContaining({ role: 'borrower', stars: 5, comment: 'Clear and calm.' }),
      expect.objectContaining({ role: 'lender', stars: 4, comment: '' }),
    ])
    const list = await getJson<{ rooms: Record<string, unknown>[] }>(s, '/api/rooms', s.operatorKey)
    expect(list.body.rooms.find((r) => r.roomId === room.roomId)).toMatchObject({ rating: { average: 4.5, count: 2 } })
    const other = await s.createRoom()
    // After a restart nobody has loaded the room: the list reads its ratings from the log.
    for (const p of [b, l, o]) p.close()
    const s2 = t.track(await s.restart())
    const again = await getJson<{ rooms: Record<string, unknown>[] }>(s2, '/api/rooms', s2.operatorKey)
    expect(s2.registry.loaded(room.roomId)).toBeUndefined()
    expect(again.body.rooms.find((r) => r.roomId === room.roomId)).toMatchObject({ rating: { average: 4.5, count: 2 } })
    expect(again.body.rooms.find((r) => r.roomId === other.roomId)).toMatchObject({ rating: { average: null, count: 0 } })
  })
})
