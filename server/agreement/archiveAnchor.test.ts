// Issue #14 §3: what the hash chain alone let through, and the binding, the signed anchor and the agreement's
// log head that now catch it. It sits beside the signer: the server signs (buildAgreement, signAnchor), shared/archive verifies.
import { afterAll, describe, expect, it } from 'vitest'
import { buildAgreement } from './buildAgreement.ts'
import { removeTemporaryKeys, temporaryServerKey } from '../../test/support/agreement/sampleAgreement.ts'
import { signAnchor } from './signAnchor.ts'
import { hashContent } from '../../shared/content/contentHash.ts'
import { readContent } from '../../shared/document/roomDoc.ts'
import type { Agreement } from '../../shared/agreement/agreement.ts'
import type { ArchiveEvent } from '../../shared/protocol/eventLog.ts'
import { anchorSigningText } from '../../shared/archive/anchor.ts'
import { buildArchiveFile, buildDisputeBundle, type ArchiveFile } from '../../shared/archive/archiveFile.ts'
import { OPERATOR, recordSession } from '../../test/support/archive/session.ts'
import { appendEvent, rechain } from '../../test/support/archive/tamper.ts'
import { verifyArchive, type ArchiveReport } from '../../shared/archive/verifyArchive.ts'

afterAll(removeTemporaryKeys)

const key = temporaryServerKey()
const otherKey = temporaryServerKey()
const ROOM_A = 'room-A7f3a'
const ROOM_B = 'room-B9c21'
const EXPORTED = '2025-03-14T10:00:00.000Z'

const session = recordSession({ updates: 30, seed: 21, chatEvery: 3, lock: true, roomId: ROOM_A })
const lockSeq = session.events.length
// Evidence after the lock, and a chat line about it: what a bundle may not silently lose.
const events = appendEvent(
  appendEvent(structuredClone(session.events), { role: 'borrower', name: '张伟' }, 'attachment', { sha256: 'a'.repeat(64), size: 1234, mediaType: 'application/pdf', name: 'receipt.pdf' }),
  { role: 'borrower', name: '张伟' },
  'chat',
  { id: 'late', clientId: 'late', text: 'Receipt attached.' },
)
const n = events.length
const roomOf = (roomId: string) => ({ roomId, title: session.title, currency: session.currency })

/** What the server exports: the archive and, at its end, the anchor signed over its last event. */
function exported(evs: readonly ArchiveEvent[], roomId = ROOM_A, signer = key): ArchiveFile {
  const file = buildArchiveFile(roomOf(roomId), evs, EXPORTED)
  const last = evs.at(-1)!
  return { ...file, anchor: signAnchor(signer, { roomId, lastSeq: last.seq, lastHash: last.hash, exportedAt: file.exportedAt }) }
}

const chatBeforeLock = events.findIndex((e, i) => e.type === 'chat' && i < lockSeq - 4)
// The Room pins the last committed event before it decided the lock: here the borrower's confirmation.
const logHead = { seq: lockSeq - 2, hash: events[lockSeq - 3]!.hash }

function agreement(head: { seq: number; hash: string } | null = logHead): Agreement {
  const content = readContent(session.server)
  const hash = hashContent(content)
  return buildAgreement(
    {
      roomId: ROOM_A,
      title: session.title,
      currency: session.currency,
      lockedAt: events[lockSeq - 1]!.ts,
      content,
      confirmations: [
        { role: 'borrower', name: '张伟', confirmedAt: events[lockSeq - 3]!.ts, hash },
        { role: 'lender', name: 'Wang Lei', confirmedAt: events[lockSeq - 2]!.ts, hash },
      ],
      ...(head ? { logHead: head } : {}),
    },
    key,
  )
}

const withKey = { publicKey: key.publicPem }
const codes = (r: ArchiveReport): string[] => r.problems.map((p) => p.code)

/** A chat line before the lock says something else, and every hash from there on is recomputed. */
function rewriteChat(evs: readonly ArchiveEvent[], at: number): ArchiveEvent[] {
  const copy = structuredClone(evs) as ArchiveEvent[]
  copy[at]!.payload = { ...(copy[at]!.payload as object), text: 'The lender waives all interest.' }
  return rechain(copy, at)
}

describe('an export as the server makes it', () => {
  it('verifies as complete to its last event, signed, with the server key', async () => {
    const r = await verifyArchive(exported(events), withKey)
    expect(r.problems).toEqual([])
    expect(r.warnings).toEqual([])
    expect(r).toMatchObject({ valid: true, events: n, anchor: { lastSeq: n, signed: true, kid: key.kid, key: 'given' } })
  })

  it('signs the purpose with the fields, so the signature is not one of anything else', () => {
    const a = exported(events).anchor!
    expect(JSON.parse(anchorSigningText(a))).toEqual({ purpose: 'negotiation-room-archive-anchor', roomId: ROOM_A, lastSeq: n, lastHash: events[n - 1]!.hash, exportedAt: EXPORTED })
  })

  it('without a key compares the anchor and says that its signature was not checked', async () => {
    const r = await verifyArchive(exported(events))
    expect(r.valid).toBe(true)
    expect(r.anchor).toMatchObject({ lastSeq: n, signed: false })
    expect(r.warnings).toEqual([{ code: 'anchor_unchecked', seq: null, message: expect.stringMatching(/^the anchor's signature was not checked \(no key\)/) }])
  })
})

describe('the attacks of issue #14 §3 on an archive', () => {
  it('the last three events dropped', async () => {
    const file = exported(events)
    const cut = { ...file, events: file.events.slice(0, n - 3) }
    const r = await verifyArchive(cut, withKey)
    expect(r.valid).toBe(false)
    expect(r.first).toEqual({
      code: 'anchor_mismatch',
      seq: n - 2,
      message: `the log ends at seq ${n - 3}, but the anchor says seq ${n}: seqs ${n - 2}–${n} were dropped from the end`,
    })
    // Caught without a key too: the anchor's fields are compared either way.
    expect((await verifyArchive(cut)).first?.code).toBe('anchor_mismatch')
  })

  it('the last three events dropped and the anchor edited to match: its signature no longer verifies', async () => {
    const file = exported(events)
    const forged = { ...file, events: file.events.slice(0, n - 3), anchor: { ...file.anchor!, lastSeq: n - 3, lastHash: events[n - 4]!.hash } }
    const r = await verifyArchive(forged, withKey)
    expect(r.first).toMatchObject({ code: 'anchor_signature', message: "the anchor's signature does not verify with the given key: the signature does not match its fields" })
  })

  it("room A's archive relabelled as room B", async () => {
    const r = await verifyArchive({ ...exported(events), roomId: ROOM_B }, withKey)
    expect(r.valid).toBe(false)
    expect(r.first).toEqual({ code: 'room_mismatch', seq: null, message: `the archive is labelled room "${ROOM_B}", but its log was created for room "${ROOM_A}" (seq 1)` })
    expect(codes(r)).toContain('room_mismatch')
    expect(r.problems.map((p) => p.message)).toContain(`the archive is labelled room "${ROOM_B}", but the server signed its anchor for room "${ROOM_A}"`)
  })

  it("room A's archive relabelled as room B with seq 1 rewritten, the chain recomputed and the anchor edited", async () => {
    const evs = structuredClone(events)
    evs[0]!.payload = { ...(evs[0]!.payload as object), roomId: ROOM_B }
    rechain(evs)
    const file = exported(events)
    const forged = { ...file, roomId: ROOM_B, events: evs, anchor: { ...file.anchor!, roomId: ROOM_B, lastHash: evs[n - 1]!.hash } }
    const r = await verifyArchive(forged, withKey)
    expect(r.first?.code).toBe('anchor_signature')
  })

  it('a chat line rewritten with the chain recomputed', async () => {
    const file = exported(events)
    const r = await verifyArchive({ ...file, events: rewriteChat(events, chatBeforeLock) }, withKey)
    expect(r.valid).toBe(false)
    // The bundle-less archive has no agreement: the anchor catches it.
    expect(r.first).toMatchObject({ code: 'anchor_mismatch', seq: null })
    expect(r.first?.message).toMatch(new RegExp(`^the log ends at seq ${n} with hash \\w+…, but the server signed \\w+…: an event was changed and the chain recomputed$`))
  })

  it('the anchor removed from an export whose log binds its room', async () => {
    const { anchor: _drop, ...file } = exported(events)
    const r = await verifyArchive({ ...file, events: file.events.slice(0, n - 3) }, withKey)
    expect(r.valid).toBe(false)
    expect(r.first).toMatchObject({ code: 'anchor_missing', message: expect.stringMatching(/^the export has no anchor, but its log binds the room id/) })
  })

  it('an anchor signed by another key', async () => {
    const r = await verifyArchive(exported(events, ROOM_A, otherKey), withKey)
    expect(r.first).toMatchObject({ code: 'anchor_signature', message: expect.stringMatching(/^the anchor's signature does not verify with the given key: it names key /) })
  })
})

describe('an older export (no room binding, no anchor)', () => {
  const old = recordSession({ updates: 20, seed: 22, chatEvery: 3, lock: true }).events

  it('verifies, with a warning saying what it cannot prove', async () => {
    const r = await verifyArchive(buildArchiveFile(roomOf(ROOM_A), old, EXPORTED))
    expect(r.valid).toBe(true)
    expect(r.anchor).toBeNull()
    expect(r.warnings).toEqual([
      {
        code: 'anchor_missing',
        seq: null,
        message: "this export has no anchor (it was made before exports were signed): events dropped from its end, or a change with the chain recomputed, cannot be detected; compare its last hash with the server's",
      },
    ])
  })

  it('exported again by this server: complete and signed, with no binding to warn about (the anchor names the room)', async () => {
    const r = await verifyArchive(exported(old), withKey)
    expect(r).toMatchObject({ valid: true, warnings: [], anchor: { signed: true, lastSeq: old.length } })
  })
})

describe('the attacks of issue #14 §3 on a locked dispute bundle', () => {
  const bundle = (archive: ArchiveFile, a: Agreement = agreement()) => buildDisputeBundle(archive, a, key.publicJwk)

  it('is valid as exported: the agreement pins the log head, the anchor the end', async () => {
    const r = await verifyArchive(bundle(exported(events)))
    expect(r.problems).toEqual([])
    expect(r.warnings).toEqual([])
    expect(r).toMatchObject({ valid: true, lockSeq, anchor: { signed: true, key: 'bundle', lastSeq: n }, agreement: { valid: true } })
  })

  it('pre-lock chat rewritten with the chain recomputed: the signed log head no longer matches', async () => {
    const file = exported(events)
    const r = await verifyArchive(bundle({ ...file, events: rewriteChat(events, chatBeforeLock) }), withKey)
    expect(r.valid).toBe(false)
    expect(r.problems).toContainEqual({
      code: 'log_head_mismatch',
      seq: null,
      message: expect.stringMatching(new RegExp(`^the agreement signed at the lock pins seq ${logHead.seq} with hash \\w+…, but this log has \\w+… there: an event up to seq ${logHead.seq} was changed and the chain recomputed$`)),
    })
  })

  it('pre-lock chat rewritten and the anchor stripped from an older log: the log head alone still catches it', async () => {
    const old = structuredClone(events)
    delete (old[0]!.payload as { roomId?: string }).roomId
    rechain(old)
    const head = { seq: logHead.seq, hash: old[logHead.seq - 1]!.hash }
    const { anchor: _drop, ...file } = exported(old)
    expect((await verifyArchive(bundle(file, agreement(head)), withKey)).valid).toBe(true)
    const r = await verifyArchive(bundle({ ...file, events: rewriteChat(old, chatBeforeLock) }, agreement(head)), withKey)
    expect(r.valid).toBe(false)
    expect(r.first?.code).toBe('log_head_mismatch')
  })

  it('post-lock evidence (the attachment event) dropped, the chain recomputed', async () => {
    const file = exported(events)
    const evs = structuredClone(events).filter((e) => e.type !== 'attachment')
    evs.forEach((e, i) => (e.seq = i + 1))
    const r = await verifyArchive(bundle({ ...file, events: rechain(evs, lockSeq) }), withKey)
    expect(r.valid).toBe(false)
    expect(r.first).toMatchObject({ code: 'anchor_mismatch', seq: n, message: `the log ends at seq ${n - 1}, but the anchor says seq ${n}: seq ${n} was dropped from the end` })
  })

  it('post-lock evidence dropped from the end of the log', async () => {
    const file = exported(events.slice(0, lockSeq + 1))
    const r = await verifyArchive(bundle({ ...file, events: file.events.slice(0, lockSeq) }), withKey)
    expect(r.first).toMatchObject({ code: 'anchor_mismatch', seq: lockSeq + 1 })
  })

  it('an agreement that pins a seq at or after the lock, or past the end', async () => {
    const r = await verifyArchive(bundle(exported(events), agreement({ seq: lockSeq, hash: events[lockSeq - 1]!.hash })), withKey)
    expect(r.first).toMatchObject({ code: 'log_head_mismatch', message: `the agreement pins the log at seq ${lockSeq}, which is not before the lock at seq ${lockSeq}` })
  })

  it('an older agreement without a log head verifies, with a warning', async () => {
    const r = await verifyArchive(bundle(exported(events), agreement(null)), withKey)
    expect(r.valid).toBe(true)
    expect(r.warnings).toEqual([{ code: 'log_head_missing', seq: null, message: expect.stringMatching(/^the agreement was signed before agreements pinned the log head/) }])
  })

  it('an agreement whose log head is not {seq, hash} is refused by its shape', async () => {
    const a = { ...agreement(), logHead: { seq: 0, hash: 'x' } } as unknown as Agreement
    const r = await verifyArchive(bundle(exported(events), a), withKey)
    expect(r.problems).toContainEqual({ code: 'agreement_invalid', seq: lockSeq, message: 'agreement: logHead is not {seq ≥ 1, hash: SHA-256 hex}' })
  })
})

describe('the room binding', () => {
  it("is the room id inside seq 1, the operator's 'create' event, so it is hashed into the whole chain", () => {
    expect(events[0]).toMatchObject({ seq: 1, actor: OPERATOR, type: 'create', payload: { roomId: ROOM_A } })
  })
})
