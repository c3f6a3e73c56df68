import { toBase64 } from 'lib0/buffer'
import * as Y from 'yjs'
import { describe, expect, it } from 'vitest'
import { verifyChain, type ArchiveEvent } from '../protocol/eventLog.ts'
import { buildArchiveFile, parseArchiveFile, parseArchiveInput, type ArchiveFile } from './archiveFile.ts'
import { recordSession } from '../../test/support/archive/session.ts'
import { firstDifference, rechain, tamper, type Tampering } from '../../test/support/archive/tamper.ts'
import { checkEventLog, verifyArchive, type ArchiveReport } from './verifyArchive.ts'

const session = recordSession({ updates: 30, seed: 9, chatEvery: 3, lock: true })
const events = session.events
const n = events.length
const room = { roomId: 'room-7f3a', title: session.title, currency: session.currency }
const archiveOf = (evs: ArchiveEvent[]): ArchiveFile => buildArchiveFile(room, evs, '2025-03-14T10:00:00.000Z')
const indexOf = (type: string, nth = 0): number => events.map((e, i) => (e.type === type ? i : -1)).filter((i) => i >= 0)[nth]!

async function verify(evs: ArchiveEvent[]): Promise<ArchiveReport> {
  return verifyArchive(JSON.stringify(archiveOf(evs)))
}

describe('verifyArchive: a genuine archive', () => {
  it('is valid and names its last hash', async () => {
    const r = await verify(events)
    expect(r.problems).toEqual([])
    expect(r).toMatchObject({ valid: true, kind: 'archive', events: n, lastHash: events[n - 1]!.hash, lockSeq: n, first: null })
    expect(verifyChain(events)).toEqual({ ok: true, lastHash: r.lastHash })
    expect(r.contentHashAtLock).toBe((events[n - 1]!.payload as { contentHash: string }).contentHash)
  })

  it('round-trips through parseArchiveFile', () => {
    const file = archiveOf(events)
    const parsed = parseArchiveFile(JSON.stringify(file))
    expect(parsed).toEqual({ ok: true, value: file })
    expect(parseArchiveInput(file)).toMatchObject({ ok: true, value: { kind: 'archive', bundle: null } })
  })
})

describe('verifyArchive: each kind of tampering, with the first bad seq', () => {
  const chat = indexOf('chat', 1)
  const update = indexOf('update', 3)
  const cases: [string, Tampering, number, RegExp][] = [
    ['altered chat text', { kind: 'payload', at: chat }, chat + 1, /seq \d+ was altered: its hash does not match its content/],
    ['altered update bytes', { kind: 'payload', at: update }, update + 1, /was altered/],
    ['altered ts', { kind: 'ts', at: 5, delta: 60_000 }, 6, /seq 6 was altered/],
    ['altered actor', { kind: 'actor', at: update }, update + 1, /was altered/],
    ['dropped event', { kind: 'drop', at: 7, renumber: false }, 8, /^seq 8 is missing: seq 7 is followed by seq 9$/],
    ['dropped event, seqs renumbered', { kind: 'drop', at: 7, renumber: true }, 8, /seq 8 was altered/],
    ['dropped first event', { kind: 'drop', at: 0, renumber: false }, 1, /seq 1 is missing: the log starts at seq 2/],
    ['inserted event', { kind: 'insert', at: 10, renumber: false }, 11, /seq 11 \(events\[10\]\) is not part of the chain.*inserted/],
    ['inserted event, seqs renumbered', { kind: 'insert', at: 10, renumber: true }, 11, /seq 11 \(events\[10\]\) is not part of the chain/],
    ['inserted first event', { kind: 'insert', at: 0, renumber: true }, 1, /seq 1 is a 'chat' event, not the room's creation/],
    ['reordered events', { kind: 'swap', at: 12, renumber: false }, 13, /out of order: seq 14 comes before seq 13/],
    ['reordered events, seqs renumbered', { kind: 'swap', at: 12, renumber: true }, 13, /seq 13 was altered/],
    ['event moved later', { kind: 'move', from: 4, to: 9 }, 5, /out of order: seq 6 comes before seq 5/],
    ['swapped hash', { kind: 'hash', at: 9, from: 10 }, 10, /seq 10 was altered/],
    ['made-up hash', { kind: 'hash', at: 9, from: null }, 10, /seq 10 was altered/],
    ['altered prevHash', { kind: 'prevHash', at: 9 }, 10, /seq 10 was altered: its prevHash is not seq 9's hash/],
    ['rewritten event (hash recomputed)', { kind: 'rewrite', at: chat }, chat + 1, /was rewritten: .*hash was recomputed/],
    ['renumbered seq (duplicate)', { kind: 'seq', at: 6, to: 6 }, 7, /seq 6 appears again at events\[6\], where seq 7 belongs/],
  ]
  it.each(cases)('%s', async (_name, t, seq, reason) => {
    const tampered = tamper(events, t)
    expect(firstDifference(events, tampered)).toBe(seq)
    const r = await verify(tampered)
    expect(r.valid).toBe(false)
    expect(r.first?.seq).toBe(seq)
    expect(r.first?.message).toMatch(reason)
    expect(verifyChain(tampered).ok).toBe(false)
  })
})

describe('verifyArchive: a correctly chained log that is still wrong', () => {
  it('refuses a timestamp going backwards', async () => {
    const evs = structuredClone(events)
    evs[8]!.ts = evs[7]!.ts - 1
    const r = await verify(rechain(evs, 8))
    expect(r.first).toMatchObject({ code: 'ts_backwards', seq: 9 })
    expect(r.first?.message).toMatch(/^seq 9 goes back in time: ts 2025-.* is earlier than seq 8's 2025-/)
  })

  it('refuses an update payload that is not base64', async () => {
    const evs = structuredClone(events)
    const at = indexOf('update', 2)
    evs[at]!.payload = 'not base64!'
    const r = await verify(rechain(evs, at))
    expect(r.first).toMatchObject({ code: 'bad_update', seq: at + 1, message: `seq ${at + 1}: the update payload is not valid base64` })
  })

  it('refuses an update payload that is base64 but not a Yjs update', async () => {
    const evs = structuredClone(events)
    const at = indexOf('update', 2)
    evs[at]!.payload = toBase64(new Uint8Array([7, 200, 201, 202, 203, 1]))
    const r = await verify(rechain(evs, at))
    expect(r.first).toMatchObject({ code: 'bad_update', seq: at + 1 })
    expect(r.first?.message).toMatch(/not a decodable Yjs update/)
  })

  it('finds the update that needs a dropped one, even when the whole chain was recomputed', async () => {
    // Drop an update of the borrower: their next update continues a clock the log no longer reaches.
    const dropped = events.findIndex((e, i) => i > 2 && e.type === 'update' && e.actor.role === 'borrower')
    const next = events.findIndex((e, i) => i > dropped && e.type === 'update' && e.actor.role === 'borrower')
    const evs = structuredClone(events)
    evs.splice(dropped, 1)
    evs.forEach((e, i) => (e.seq = i + 1))
    const r = await verify(rechain(evs, dropped))
    expect(verifyChain(evs).ok).toBe(true)
    expect(r.first).toMatchObject({ code: 'update_missing_deps', seq: next })
    expect(r.first?.message).toMatch(/depends on changes that are not in the log before it/)
  })

  it('refuses an update after the lock and a lock whose hash is not the document', async () => {
    const doc = new Y.Doc()
    doc.getText('clauses').insert(0, 'late edit')
    const evs = structuredClone(events)
    evs.push({ ...evs[n - 1]!, seq: n + 1, type: 'update', actor: { role: 'lender', name: 'Wang' }, payload: toBase64(Y.encodeStateAsUpdate(doc)) })
    let r = await verify(rechain(evs, n))
    expect(r.first).toMatchObject({ code: 'update_after_lock', seq: n + 1 })

    const badLock = structuredClone(events)
    badLock[n - 1]!.payload = { contentHash: 'a'.repeat(64) }
    r = await verify(rechain(badLock, n - 1))
    expect(r.first).toMatchObject({ code: 'lock_hash', seq: n })
  })

  it('refuses a log whose first event is not the creation', async () => {
    const r = await verify(rechain(structuredClone(events).slice(1).map((e, i) => ({ ...e, seq: i + 1 }))))
    expect(r.first).toMatchObject({ code: 'create_misplaced', seq: 1, message: "seq 1 is a 'update' event, not the room's creation" })
  })

  it('checks the envelope against the hashed creation event', async () => {
    const file = { ...archiveOf(events), currency: 'USD' }
    const r = await verifyArchive(file)
    expect(r.first).toMatchObject({ code: 'envelope_mismatch', seq: null, message: 'the archive\'s currency "USD" is not the room\'s ("CNY" at seq 1)' })
  })

  it('checks the roomId too once the creation event records it', async () => {
    const evs = structuredClone(events)
    evs[0]!.payload = { ...(evs[0]!.payload as object), roomId: 'room-other' }
    const r = await verify(rechain(evs))
    expect(r.first).toMatchObject({ code: 'room_mismatch', message: 'the archive is labelled room "room-7f3a", but its log was created for room "room-other" (seq 1)' })
  })

  it('cannot see a log cut after its last event without an anchor, and warns that it cannot', async () => {
    const r = await verify(events.slice(0, n - 5))
    expect(r.valid).toBe(true)
    expect(r.lastHash).toBe(events[n - 6]!.hash)
    expect(r.warnings.map((w) => w.code)).toEqual(['anchor_missing'])
  })
})

describe('verifyArchive: files that are not archives', () => {
  it.each([
    ['not JSON', '{"format":', /^\/: not JSON/],
    ['another format', JSON.stringify({ format: 'something-else' }), /^\/format: must be "negotiation-room-archive" or "negotiation-room-dispute-bundle"$/],
    ['a newer version', JSON.stringify({ ...archiveOf(events), version: 2 }), /^\/version: must be 1/],
    ['no events', JSON.stringify({ ...archiveOf(events), events: undefined }), /^\/events: is required$/],
    ['a bad currency', JSON.stringify({ ...archiveOf(events), currency: 'yuan' }), /^\/currency: must be an ISO 4217 code/],
  ])('%s', async (_name, text, message) => {
    const r = await verifyArchive(text)
    expect(r.valid).toBe(false)
    expect(r.first).toMatchObject({ code: 'format', seq: null })
    expect(r.first?.message).toMatch(message)
  })

  it('names a malformed event by its seq', async () => {
    const evs = structuredClone(events) as unknown as Record<string, unknown>[]
    evs[4]!['ts'] = '2025-03-14'
    let r = await verify(evs as unknown as ArchiveEvent[])
    expect(r.first).toMatchObject({ code: 'event_shape', seq: 5, message: 'seq 5 (events[4]) is malformed: /ts: must be integer' })
    evs[4]!['ts'] = events[4]!.ts
    evs[4]!['note'] = 'unhashed'
    r = await verify(evs as unknown as ArchiveEvent[])
    expect(r.first?.message).toBe('seq 5 (events[4]) is malformed: /note: is not allowed')
    const update = indexOf('update', 1)
    const evs2 = structuredClone(events) as unknown as Record<string, unknown>[]
    evs2[update]!['payload'] = { bytes: 'AAAA' }
    r = await verify(evs2 as unknown as ArchiveEvent[])
    expect(r.first?.message).toBe(`seq ${update + 1} (events[${update}]) is malformed: /payload: must be base64 text in an 'update' event`)
  })

  it('parseArchiveFile gives the field path of the first problem', () => {
    const evs = structuredClone(events) as unknown as Record<string, unknown>[]
    evs[3]!['hash'] = 'XYZ'
    expect(parseArchiveFile({ ...archiveOf(events), events: evs })).toEqual({ ok: false, error: '/events/3/hash: must be 64 lowercase hex digits' })
    expect(parseArchiveFile({ ...archiveOf(events), exportedAt: 'yesterday' })).toEqual({ ok: false, error: '/exportedAt: must be an ISO 8601 date-time' })
  })

  it('reports an empty log', async () => {
    const r = await verify([])
    expect(r.first).toMatchObject({ code: 'empty', message: 'the archive holds no events' })
  })
})

describe('checkEventLog', () => {
  it('takes a faster sha256 and agrees with the default one', async () => {
    const { createHash } = await import('node:crypto')
    const fast = checkEventLog(events, (s) => createHash('sha256').update(s).digest('hex'))
    expect(fast).toEqual(checkEventLog(events))
    expect(fast.ok).toBe(true)
  })
})
