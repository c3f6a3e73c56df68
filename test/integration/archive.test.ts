// GET /api/rooms/:id/archive and /dispute-bundle: who may read them, and that what comes out is
// the room's whole log, verifiable offline, after a session with edits, chat and an attachment.
import { createHash } from 'node:crypto'
import { beforeAll, describe, expect, it } from 'vitest'
import { parseArchiveFile, parseDisputeBundle, type ArchiveFile } from '../../shared/archive/archiveFile.ts'
import { Replay } from '../../shared/archive/Replay.ts'
import { rechain } from '../support/archive/tamper.ts'
import { verifyArchive } from '../../shared/archive/verifyArchive.ts'
import type { CreateRoomResponse } from '../../shared/protocol/http.ts'
import type { Agreement } from '../../shared/agreement/agreement.ts'
import type { NewEvent } from '../../server/store/Store.ts'
import type { PublicKeyResponse } from '../../server/agreement/serverKey.ts'
import type { ArchiveEvent } from '../../shared/protocol/eventLog.ts'
import * as Y from 'yjs'
import { minimalPdf, minimalPng, upload } from '../helpers/evidenceFiles.ts'
import { joinAs, lock } from '../helpers/negotiation.ts'
import { connectProvider, connectSocket, connected, emitAck, invite, startTestServer, waitFor, type TestServer } from '../helpers/server.ts'
import { closeAfterAll } from '../helpers/teardown.ts'

let server: TestServer
const suite = closeAfterAll()
let a: CreateRoomResponse
let b: CreateRoomResponse

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex')

async function get(path: string, bearer?: string): Promise<{ status: number; headers: Headers; text: string }> {
  const res = await fetch(`${server.url}${path}`, { headers: bearer ? { Authorization: `Bearer ${bearer}` } : {} })
  return { status: res.status, headers: res.headers, text: await res.text() }
}

beforeAll(async () => {
  // Leaves are logged the moment the clients close (the log's presence lines are what is checked here).
  server = suite.track(await startTestServer({ presenceLeaveGraceMs: 0, presenceJoinWindowMs: 0 }))
  a = await server.createRoom({ title: 'Repayment plan — Wang', names: { borrower: 'Wang Fang', lender: 'City Bank' } })
  b = await server.createRoom({ title: 'Another room' })

  // A session: both edit, both chat, the borrower attaches a statement.
  const borrower = connectProvider(server, a.roomId, invite(a, 'borrower'))
  const lender = connectProvider(server, a.roomId, invite(a, 'lender'))
  const chat = connectSocket(server, invite(a, 'borrower'))
  try {
    await Promise.all([borrower.synced, lender.synced, connected(chat.socket)])
    lender.doc.getMap('terms').set('annualRatePct', '4.90')
    await waitFor(() => borrower.doc.getMap('terms').get('annualRatePct') === '4.90', 'rate 4.90 at the borrower')
    expect(await emitAck(chat.socket, 'chat:send', { clientId: 'c1', text: 'Could the rate come down a little?' })).toMatchObject({ ok: true })
    lender.doc.getMap('terms').set('annualRatePct', '4.35')
    borrower.doc.getText('clauses').insert(0, 'Review after 12 months.')
    await waitFor(() => lender.doc.getText('clauses').toString() === 'Review after 12 months.', 'clauses at the lender')
    expect((await upload(server, a.roomId, invite(a, 'borrower'), minimalPdf('payslip'), 'payslip.pdf')).status).toBe(201)
    expect(await emitAck(chat.socket, 'chat:send', { clientId: 'c2', text: 'Attached my payslip.' })).toMatchObject({ ok: true })
    await server.registry.withRoom(a.roomId, (room) => room.whenIdle())
  } finally {
    chat.socket.close()
    borrower.destroy()
    lender.destroy()
  }
  await waitFor(async () => (await server.store.readEvents(a.roomId)).filter((e) => e.type === 'leave').length >= 2, 'leaves logged')
})

describe('archive access', () => {
  it('refuses without a token of that room: none, another room, expired, forged; nothing leaks', async () => {
    const expired = (await server.tokens.issue({ room: a.roomId, role: 'borrower', name: 'Wang Fang' }, -60_000)).token
    for (const path of [`/api/rooms/${a.roomId}/archive`, `/api/rooms/${a.roomId}/dispute-bundle`]) {
      const cases: [string | undefined, number, string][] = [
        [undefined, 401, 'unauthorized'],
        [invite(b, 'borrower'), 403, 'forbidden'],
        [invite(b, 'observer'), 403, 'forbidden'],
        [expired, 401, 'unauthorized'],
        ['garbage.token.value', 401, 'unauthorized'],
      ]
      for (const [token, status, error] of cases) {
        const r = await get(path, token)
        expect(r.status, `${path} ${token?.slice(0, 12)}`).toBe(status)
        expect(JSON.parse(r.text)).toMatchObject({ error })
        expect(r.text).not.toContain('Wang')
        expect(r.text).not.toContain('payslip')
        expect(r.headers.get('content-disposition')).toBeNull()
      }
    }
    expect((await get('/api/rooms/nope/archive', server.operatorKey)).status).toBe(404)
  })

  it('answers every member of the room and the operator', async () => {
    for (const token of [invite(a, 'borrower'), invite(a, 'lender'), invite(a, 'observer'), server.operatorKey]) {
      const r = await get(`/api/rooms/${a.roomId}/archive`, token)
      expect(r.status).toBe(200)
      expect(r.headers.get('content-type')).toMatch(/^application\/json/)
      expect(r.headers.get('cache-control')).toBe('no-store')
    }
  })
})

describe('the archive file', () => {
  let archive: ArchiveFile
  let text: string

  beforeAll(async () => {
    const r = await get(`/api/rooms/${a.roomId}/archive`, invite(a, 'observer'))
    text = r.text
    const parsed = parseArchiveFile(text)
    if (!parsed.ok) throw new Error(parsed.error)
    archive = parsed.value
  })

  it('is the whole log and verifies with verifyArchive', async () => {
    const head = (await server.store.getRoom(a.roomId))!
    expect(archive).toMatchObject({ format: 'negotiation-room-archive', version: 1, roomId: a.roomId, title: 'Repayment plan — Wang', currency: 'CNY' })
    expect(Date.parse(archive.exportedAt)).toBeGreaterThan(Date.now() - 60_000)
    expect(archive.events).toHaveLength(head.lastSeq)
    expect(archive.events.at(-1)!.hash).toBe(head.lastHash)
    const types = new Set(archive.events.map((e) => e.type))
    for (const t of ['create', 'update', 'chat', 'join', 'leave', 'attachment']) expect(types, t).toContain(t)

    const report = await verifyArchive(text)
    expect(report.first).toBeNull()
    expect(report).toMatchObject({ valid: true, kind: 'archive', events: head.lastSeq, lastHash: head.lastHash })
  })

  it('names who attached what, and replays the rate change', () => {
    const att = archive.events.find((e) => e.type === 'attachment')!
    expect(att.actor).toEqual({ role: 'borrower', name: 'Wang Fang' })
    expect(att.payload).toEqual({ sha256: expect.stringMatching(/^[0-9a-f]{64}$/), size: expect.any(Number), mediaType: 'application/pdf', name: 'payslip.pdf' })
    const replay = Replay.build(archive.events)
    const rates = replay.changes.filter((c) => c.root === 'terms' && c.key === 'annualRatePct')
    expect(rates.map((c) => [c.root === 'terms' && c.from, c.root === 'terms' && c.to, c.actor.role])).toEqual([
      [null, '4.35', 'system'],
      ['4.35', '4.90', 'lender'],
      ['4.90', '4.35', 'lender'],
    ])
    expect(replay.at(replay.lastSeq).content.clauses).toBe('Review after 12 months.')
    expect(replay.at(replay.lastSeq).chat.map((m) => m.text)).toEqual(['Could the rate come down a little?', 'Attached my payslip.'])
  })

  it('detects tampering with what the server sent', async () => {
    const chatAt = archive.events.findIndex((e) => e.type === 'chat')
    const tampered = structuredClone(archive)
    ;(tampered.events[chatAt]!.payload as { text: string }).text = 'I agree to 9 %.'
    const report = await verifyArchive(tampered)
    expect(report.valid).toBe(false)
    expect(report.first?.seq).toBe(chatAt + 1)
  })
})

describe('the dispute bundle', () => {
  it('is one JSON download: the log, the agreement (null before the lock) and the key', async () => {
    const r = await get(`/api/rooms/${a.roomId}/dispute-bundle`, invite(a, 'lender'))
    expect(r.status).toBe(200)
    expect(r.headers.get('content-type')).toMatch(/^application\/json/)
    expect(r.headers.get('content-disposition')).toBe(`attachment; filename="dispute-bundle-${a.roomId}.json"; filename*=UTF-8''dispute-bundle-${a.roomId}.json`)
    const parsed = parseDisputeBundle(r.text)
    if (!parsed.ok) throw new Error(parsed.error)
    const bundle = parsed.value
    expect(bundle).toMatchObject({ format: 'negotiation-room-dispute-bundle', version: 1, agreement: null })
    expect(bundle.archive.roomId).toBe(a.roomId)
    const report = await verifyArchive(r.text)
    expect(report).toMatchObject({ valid: true, kind: 'bundle', events: bundle.archive.events.length })
  })
})

describe('after the lock', () => {
  it('the bundle carries the signed agreement, which lists the evidence present at the lock', async () => {
    const borrower = await joinAs(server, a, 'borrower')
    const lender = await joinAs(server, a, 'lender')
    try {
      const ack = await lock(borrower, lender)
      expect(ack).toMatchObject({ ok: true })
      await waitFor(() => borrower.log.states.at(-1)?.phase === 'locked', 'the lock')
      // Follow-up evidence is still taken after the lock, but it is not part of the agreement.
      expect((await upload(server, a.roomId, invite(a, 'lender'), minimalPng(), 'receipt.png')).status).toBe(201)
    } finally {
      borrower.close()
      lender.close()
    }
    const r = await get(`/api/rooms/${a.roomId}/dispute-bundle`, invite(a, 'observer'))
    expect(r.status).toBe(200)
    const parsed = parseDisputeBundle(r.text)
    if (!parsed.ok) throw new Error(parsed.error)
    const agreement = parsed.value.agreement as Agreement
    expect(agreement).not.toBeNull()
    expect(parsed.value.publicKey).toMatchObject({ kty: 'OKP', crv: 'Ed25519' })
    const logged = parsed.value.archive.events.filter((e) => e.type === 'attachment').map((e) => (e.payload as { sha256: string; name: string }))
    expect(logged.map((x) => x.name)).toEqual(['payslip.pdf', 'receipt.png'])
    expect(agreement.attachments.map((x) => x.name)).toEqual(['payslip.pdf'])
    expect(agreement.attachments[0]).toMatchObject({ sha256: logged[0]!.sha256, mediaType: 'application/pdf' })

    const report = await verifyArchive(r.text)
    expect(report.first).toBeNull()
    expect(report).toMatchObject({ valid: true, kind: 'bundle', agreement: { valid: true } })
    expect(report.lockSeq).toBeGreaterThan(0)
  })
})

describe('what the hash chain alone let through (issue #14 §3), on exports of a real server', () => {
  let key: PublicKeyResponse
  let archive: ArchiveFile
  let bundleText: string

  beforeAll(async () => {
    key = JSON.parse((await get('/api/public-key')).text) as PublicKeyResponse
    const parsed = parseArchiveFile((await get(`/api/rooms/${a.roomId}/archive`, invite(a, 'observer'))).text)
    if (!parsed.ok) throw new Error(parsed.error)
    archive = parsed.value
    bundleText = (await get(`/api/rooms/${a.roomId}/dispute-bundle`, invite(a, 'observer'))).text
  })

  /** A chat line says something else, and every hash from it on is recomputed. */
  const rewriteChat = (evs: ArchiveEvent[], at: number): ArchiveEvent[] => {
    const copy = structuredClone(evs)
    copy[at]!.payload = { ...(copy[at]!.payload as object), text: 'I agree to 9 %.' }
    return rechain(copy, at)
  }

  it('ends every export with an anchor signed by the server key, over the room, the last event and the time', async () => {
    const head = (await server.store.getRoom(a.roomId))!
    expect(archive.anchor).toEqual({
      roomId: a.roomId,
      lastSeq: head.lastSeq,
      lastHash: head.lastHash,
      exportedAt: archive.exportedAt,
      kid: key.kid,
      signature: expect.stringMatching(/^[A-Za-z0-9_-]{86}$/),
    })
    expect(archive.events[0]).toMatchObject({ type: 'create', payload: { roomId: a.roomId } })
    const r = await verifyArchive(archive, { publicKey: key })
    expect(r).toMatchObject({ valid: true, warnings: [], anchor: { lastSeq: head.lastSeq, signed: true, kid: key.kid } })
  })

  it('refuses the archive with its last three events dropped', async () => {
    const n = archive.events.length
    const r = await verifyArchive({ ...archive, events: archive.events.slice(0, n - 3) }, { publicKey: key })
    expect(r.valid).toBe(false)
    expect(r.first).toMatchObject({ code: 'anchor_mismatch', seq: n - 2, message: `the log ends at seq ${n - 3}, but the anchor says seq ${n}: seqs ${n - 2}–${n} were dropped from the end` })
  })

  it("refuses room A's archive relabelled as room B", async () => {
    const r = await verifyArchive({ ...archive, roomId: b.roomId }, { publicKey: key })
    expect(r.valid).toBe(false)
    expect(r.first).toMatchObject({ code: 'room_mismatch', message: `the archive is labelled room "${b.roomId}", but its log was created for room "${a.roomId}" (seq 1)` })
  })

  it('refuses a chat line rewritten with the chain recomputed', async () => {
    const chatAt = archive.events.findIndex((e) => e.type === 'chat')
    const r = await verifyArchive({ ...archive, events: rewriteChat(archive.events, chatAt) }, { publicKey: key })
    expect(r.valid).toBe(false)
    expect(r.first?.code).toBe('anchor_mismatch')
    expect(r.first?.message).toMatch(/an event was changed and the chain recomputed$/)
  })

  it('signs the log head at the lock into the agreement', async () => {
    const bundle = JSON.parse(bundleText) as { archive: ArchiveFile; agreement: Agreement }
    const lockSeq = bundle.archive.events.findIndex((e) => e.type === 'lock') + 1
    const head = bundle.agreement.logHead!
    expect(head.seq).toBeLessThan(lockSeq)
    expect(head.hash).toBe(bundle.archive.events[head.seq - 1]!.hash)
    expect(await verifyArchive(bundleText, { publicKey: key })).toMatchObject({ valid: true, warnings: [], agreement: { valid: true } })
  })

  it('refuses a locked bundle with pre-lock chat rewritten, the chain recomputed', async () => {
    const bundle = JSON.parse(bundleText) as { archive: ArchiveFile; agreement: Agreement }
    const chatAt = bundle.archive.events.findIndex((e) => e.type === 'chat')
    expect(chatAt + 1).toBeLessThanOrEqual(bundle.agreement.logHead!.seq)
    bundle.archive.events = rewriteChat(bundle.archive.events, chatAt)
    const r = await verifyArchive(bundle, { publicKey: key })
    expect(r.valid).toBe(false)
    expect(r.problems.map((p) => p.code)).toEqual(['log_head_mismatch', 'anchor_mismatch'])
  })

  it('refuses a locked bundle with the post-lock evidence dropped, the chain recomputed', async () => {
    const bundle = JSON.parse(bundleText) as { archive: ArchiveFile; agreement: Agreement }
    const evs = bundle.archive.events
    const lockAt = evs.findIndex((e) => e.type === 'lock')
    const receiptAt = evs.findIndex((e, i) => i > lockAt && e.type === 'attachment')
    expect((evs[receiptAt]!.payload as { name: string }).name).toBe('receipt.png')
    evs.splice(receiptAt, 1)
    evs.forEach((e, i) => (e.seq = i + 1))
    rechain(evs, receiptAt)
    const r = await verifyArchive(bundle, { publicKey: key })
    expect(r.valid).toBe(false)
    expect(r.first?.code).toBe('anchor_mismatch')
  })

  it('refuses an export of a room created since the binding with its anchor removed', async () => {
    const { anchor: _drop, ...stripped } = archive
    const r = await verifyArchive(stripped, { publicKey: key })
    expect(r.first).toMatchObject({ code: 'anchor_missing' })
  })

  it('still exports and verifies a room created before the binding; its old export (no anchor) verifies with a warning', async () => {
    const doc = new Y.Doc()
    doc.getMap('terms').set('principal', 1_000_000)
    const operator = { role: 'system', name: 'operator' } as const
    await server.store.createRoom({ id: 'old-room-1', title: 'Old room', currency: 'CNY', meta: { invites: [] } }, [
      { actor: operator, type: 'create', payload: { title: 'Old room', currency: 'CNY', invites: [] } },
      { actor: operator, type: 'update', payload: Y.encodeStateAsUpdate(doc) },
    ])
    const r = await get('/api/rooms/old-room-1/archive', server.operatorKey)
    expect(r.status).toBe(200)
    const fresh = await verifyArchive(r.text, { publicKey: key })
    expect(fresh).toMatchObject({ valid: true, warnings: [], anchor: { lastSeq: 2, signed: true } })
    const { anchor: _drop, ...old } = JSON.parse(r.text) as ArchiveFile
    const report = await verifyArchive(old, { publicKey: key })
    expect(report.valid).toBe(true)
    expect(report.warnings.map((w) => w.code)).toEqual(['anchor_missing'])
    expect(report.warnings[0]!.message).toMatch(/^this export has no anchor \(it was made before exports were signed\)/)
  })
})

describe('a long log', () => {
  it('streams 10,000+ events in pages and still verifies', async () => {
    const c = await server.createRoom({ title: 'Long room' })
    // Chat events straight into the store: a long log without a long test.
    const N = 10_000
    for (let from = 0; from < N; from += 1000) {
      const batch: NewEvent[] = []
      for (let i = from; i < from + 1000; i++) {
        batch.push({ actor: { role: i % 2 ? 'lender' : 'borrower', name: 'x' }, type: 'chat', payload: { id: `m${i}`, clientId: `k${i}`, text: `message ${i}` }, clientId: `k${i}` })
      }
      await server.store.append(c.roomId, batch)
    }
    const head = (await server.store.getRoom(c.roomId))!
    expect(head.lastSeq).toBeGreaterThan(N)

    // The event loop keeps turning while the file is produced.
    let ticks = 0
    const timer = setInterval(() => ticks++, 1)
    const started = performance.now()
    const r = await get(`/api/rooms/${c.roomId}/archive`, invite(c, 'observer'))
    const ms = performance.now() - started
    clearInterval(timer)
    expect(r.status).toBe(200)
    expect(ticks).toBeGreaterThan(5)
    expect(ms).toBeLessThan(10_000)

    const report = await verifyArchive(r.text, { sha256 })
    expect(report).toMatchObject({ valid: true, events: head.lastSeq, lastHash: head.lastHash })
  })
})
