// The dispute bundle: the archive plus the signed agreement and the server's key, checked together.
// It sits beside the signer: the server builds and signs, shared/archive verifies.
import { afterAll, describe, expect, it } from 'vitest'
import { buildAgreement } from './buildAgreement.ts'
import { removeTemporaryKeys, temporaryServerKey } from '../../test/support/agreement/sampleAgreement.ts'
import { publicKeyJwk } from './serverKey.ts'
import { readContent, type RoomContent } from '../../shared/document/roomDoc.ts'
import { hashContent } from '../../shared/content/contentHash.ts'
import { buildArchiveFile, buildDisputeBundle, parseDisputeBundle, parseArchiveInput } from '../../shared/archive/archiveFile.ts'
import { recordSession } from '../../test/support/archive/session.ts'
import { verifyArchive } from '../../shared/archive/verifyArchive.ts'

afterAll(removeTemporaryKeys)

const key = temporaryServerKey()
const otherKey = temporaryServerKey()
const session = recordSession({ updates: 40, seed: 4, chatEvery: 4, lock: true })
const events = session.events
const lockSeq = events.length
const room = { roomId: 'room-7f3a', title: session.title, currency: session.currency }
const archive = buildArchiveFile(room, events, '2025-03-14T10:00:00.000Z')
const content = readContent(session.server)

function agreementFor(c: RoomContent, signer = key, roomId = room.roomId) {
  const hash = hashContent(c)
  return buildAgreement(
    {
      roomId,
      title: room.title,
      currency: room.currency,
      lockedAt: events[lockSeq - 1]!.ts,
      content: c,
      confirmations: [
        { role: 'borrower', name: '张伟', confirmedAt: events[lockSeq - 3]!.ts, hash },
        { role: 'lender', name: 'Wang', confirmedAt: events[lockSeq - 2]!.ts, hash },
      ],
    },
    signer,
  )
}

const agreement = agreementFor(content)

describe('dispute bundle', () => {
  it('is valid when the agreement is the document replayed to the lock, signed by the given key', async () => {
    const bundle = buildDisputeBundle(archive, agreement, key.publicJwk)
    expect(parseDisputeBundle(JSON.stringify(bundle))).toEqual({ ok: true, value: bundle })
    expect(parseArchiveInput(bundle)).toMatchObject({ ok: true, value: { kind: 'bundle' } })
    const r = await verifyArchive(JSON.stringify(bundle))
    expect(r.problems).toEqual([])
    expect(r).toMatchObject({ valid: true, kind: 'bundle', lockSeq, contentHashAtLock: agreement.contentHash })
    expect(r.agreement).toMatchObject({ valid: true, contentHash: agreement.contentHash, replayedHash: agreement.contentHash, key: { source: 'given', kid: key.kid } })
  })

  it('takes the body of GET /api/public-key as the bundle key', async () => {
    const r = await verifyArchive(buildDisputeBundle(archive, agreement, publicKeyJwk(key)))
    expect(r.valid).toBe(true)
  })

  it('refuses a correctly signed agreement whose content is not what the log locked', async () => {
    const other = agreementFor({ ...content, clauses: `${content.clauses} The borrower waives all rights.` })
    const r = await verifyArchive(buildDisputeBundle(archive, other, key.publicJwk))
    expect(r.valid).toBe(false)
    expect(r.first).toMatchObject({ code: 'agreement_mismatch', seq: lockSeq })
    expect(r.first?.message).toMatch(new RegExp(`^the agreement's contentHash \\w+… is not the hash of the document replayed to the lock at seq ${lockSeq}`))
    expect(r.agreement?.problems).toEqual([])
  })

  it('refuses an agreement signed by another key than the bundle names', async () => {
    const r = await verifyArchive(buildDisputeBundle(archive, agreementFor(content, otherKey), key.publicJwk))
    expect(r.first).toMatchObject({ code: 'agreement_invalid', seq: lockSeq, message: 'agreement: signature does not match' })
  })

  it('uses the key given to the verifier over the bundle one', async () => {
    const r = await verifyArchive(buildDisputeBundle(archive, agreement, otherKey.publicJwk), { publicKey: key.publicPem })
    expect(r.valid).toBe(true)
    expect(r.notes).toContain("the bundle's publicKey was not used: a key was given")
  })

  it('falls back to the key embedded in the agreement and says what that proves', async () => {
    const r = await verifyArchive(buildDisputeBundle(archive, agreement, null))
    expect(r.valid).toBe(true)
    expect(r.agreement?.key.source).toBe('embedded')
    expect(r.notes.join('\n')).toMatch(/proves integrity, not who signed/)
  })

  it('refuses an agreement for another room', async () => {
    const r = await verifyArchive(buildDisputeBundle(archive, agreementFor(content, key, 'room-other'), key.publicJwk))
    expect(r.first).toMatchObject({ code: 'agreement_room', message: 'the agreement is for room "room-other", the archive for room "room-7f3a"' })
  })

  it('refuses an agreement with a log cut before its lock', async () => {
    const cut = buildArchiveFile(room, events.slice(0, lockSeq - 3), 0)
    const r = await verifyArchive(buildDisputeBundle(cut, agreement, key.publicJwk))
    expect(r.first).toMatchObject({ code: 'no_lock', message: expect.stringMatching(/no lock event \(it may have been cut short\)/) })
  })

  it('reports a tampered log before anything about the agreement', async () => {
    const evs = structuredClone(events)
    evs[5]!.ts += 1
    const r = await verifyArchive(buildDisputeBundle({ ...archive, events: evs }, agreement, key.publicJwk))
    expect(r.first).toMatchObject({ code: 'hash_mismatch', seq: 6 })
    expect(r.problems).toHaveLength(1)
  })

  it('is valid without an agreement, noting a lock without one', async () => {
    const r = await verifyArchive(buildDisputeBundle(archive, null, null))
    expect(r.valid).toBe(true)
    expect(r.notes).toContain(`the room was locked at seq ${lockSeq} but the bundle carries no agreement`)
  })

  it('says which bundle field is wrong', () => {
    const bundle = buildDisputeBundle(archive, agreement, key.publicJwk)
    expect(parseDisputeBundle({ ...bundle, publicKey: { kty: 'RSA', crv: 'Ed25519', x: key.publicJwk.x } })).toEqual({
      ok: false,
      error: '/publicKey/kty: must be "OKP" (an Ed25519 JWK)',
    })
    expect(parseDisputeBundle({ ...bundle, agreement: 'signed' })).toEqual({ ok: false, error: '/agreement: must be the signed agreement object or null' })
    expect(parseDisputeBundle({ ...bundle, archive: { ...archive, format: 'x' } })).toEqual({ ok: false, error: '/archive/format: must be "negotiation-room-archive"' })
  })
})
