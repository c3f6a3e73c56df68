// The export's end against the server's signed anchor.
import type { PublicKeyInput } from '../agreement/publicKey.ts'
import { verifyAnchorSignature } from './anchor.ts'
import { seqRange, short, type Findings } from './archiveProblem.ts'
import type { ArchiveFile } from './archiveFile.ts'
import { boundRoomId } from './envelopeCheck.ts'
import type { CheckedLog } from './eventLogCheck.ts'

/** The export's signed end, once its fields agree with the log. */
export interface AnchorCheck {
  lastSeq: number
  /** True when the signature was checked with a key (given, else the bundle's). */
  signed: boolean
  kid: string
  key: 'given' | 'bundle' | 'none'
}

/**
 * The export's end against the server's signed anchor: the room, the last seq and hash, the export time, and
 * the signature (with the given key, else the bundle's; without one the fields are compared and a warning says so).
 */
export async function anchorProblems(
  archive: ArchiveFile,
  log: CheckedLog,
  key: { input: PublicKeyInput; source: 'given' | 'bundle' } | null,
  found: Findings,
): Promise<AnchorCheck | null> {
  const a = archive.anchor
  const n = log.events
  if (!a) {
    if (boundRoomId(archive) !== null) {
      found.problems.push({
        code: 'anchor_missing',
        seq: null,
        message: 'the export has no anchor, but its log binds the room id (seq 1) and such a server signs the end of every export: the anchor was removed, so the end of the log cannot be checked',
      })
    } else {
      found.warnings.push({
        code: 'anchor_missing',
        seq: null,
        message: "this export has no anchor (it was made before exports were signed): events dropped from its end, or a change with the chain recomputed, cannot be detected; compare its last hash with the server's",
      })
    }
    return null
  }
  const before = found.problems.length
  if (a.roomId !== archive.roomId) {
    found.problems.push({
      code: 'room_mismatch',
      seq: null,
      message: `the archive is labelled room ${JSON.stringify(archive.roomId)}, but the server signed its anchor for room ${JSON.stringify(a.roomId)}`,
    })
  }
  if (a.lastSeq > n) {
    const dropped = seqRange(n + 1, a.lastSeq)
    found.problems.push({
      code: 'anchor_mismatch',
      seq: n + 1,
      message: `the log ends at seq ${n}, but the anchor says seq ${a.lastSeq}: ${dropped} ${n + 1 === a.lastSeq ? 'was' : 'were'} dropped from the end`,
    })
  } else if (a.lastSeq < n) {
    found.problems.push({
      code: 'anchor_mismatch',
      seq: a.lastSeq + 1,
      message: `the log ends at seq ${n}, but the anchor says seq ${a.lastSeq}: ${seqRange(a.lastSeq + 1, n)} ${a.lastSeq + 1 === n ? 'was' : 'were'} added after the export`,
    })
  } else if (a.lastHash !== log.lastHash) {
    found.problems.push({
      code: 'anchor_mismatch',
      seq: null,
      message: `the log ends at seq ${n} with hash ${short(log.lastHash)}, but the server signed ${short(a.lastHash)}: an event was changed and the chain recomputed`,
    })
  }
  if (a.exportedAt !== archive.exportedAt) {
    found.problems.push({ code: 'anchor_mismatch', seq: null, message: `the archive says it was exported at ${archive.exportedAt}, its anchor says ${a.exportedAt}` })
  }
  let signed = false
  if (key) {
    const sig = await verifyAnchorSignature(a, key.input)
    if (!sig.ok) {
      const whose = key.source === 'given' ? 'the given key' : "the bundle's key"
      found.problems.push({ code: 'anchor_signature', seq: null, message: `the anchor's signature does not verify with ${whose}: ${sig.reason}` })
    } else signed = true
    if (signed && key.source === 'bundle') found.notes.push("the anchor was checked with the bundle's key: pass --key with the server's public key to know who signed")
  } else {
    found.warnings.push({
      code: 'anchor_unchecked',
      seq: null,
      message: "the anchor's signature was not checked (no key): pass --key with the server's public key (GET /api/public-key)",
    })
  }
  if (found.problems.length > before) return null
  return { lastSeq: a.lastSeq, signed, kid: a.kid, key: signed ? key!.source : 'none' }
}
