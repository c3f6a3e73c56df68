// Checks an archive (or a dispute bundle) offline and names the FIRST bad seq with a human reason.
// On top of verifyChain: it tells a dropped, inserted, reordered, altered or rewritten event apart,
// refuses timestamps going backwards and update payloads Yjs cannot use, and for a bundle checks
// the signed agreement against the document replayed to the lock. Isomorphic (browser replay view, CLI).
import * as Y from 'yjs'
import { agreementHash, type Agreement } from '../agreement/agreement.ts'
import { verifyAgreement, type KeyUsed, type PublicKeyInput, type VerifyProblem } from '../agreement/verifyAgreement.ts'
import { contentHashOfDoc } from '../document/contentHash.ts'
import { sha256Hex } from '../document/sha256.ts'
import { GENESIS_HASH, eventHash, type ArchiveEvent } from '../protocol/eventLog.ts'
import { validateArchiveEnvelope, validateArchiveEvent, validateDisputeBundleEnvelope } from '../schema/archive.schema.ts'
import { verifyAnchorSignature } from './anchor.ts'
import { formatOf, parseJson, UNKNOWN_FORMAT_ERROR, type ArchiveFile, type DisputeBundle } from './archiveFile.ts'
import { carriesUpdate, decodeUpdateText, newRoomDoc, updateTextOf } from './updatePayload.ts'

export type LogProblemCode =
  /** The event is not an event of the archive format (field missing, wrong type). */
  | 'event_shape'
  /** A seq is absent: the event was dropped. */
  | 'seq_missing'
  /** A seq appears twice: an event was inserted or copied. */
  | 'seq_duplicate'
  /** The seqs are all there but not in order: events were reordered. */
  | 'seq_order'
  /** The event does not hash to its `hash` (content, prevHash or hash altered). */
  | 'hash_mismatch'
  /** Events that are not part of the chain sit between two linked events. */
  | 'inserted'
  /** The event hashes correctly but the next one is chained to something else: it was rewritten. */
  | 'rewritten'
  /** The first event does not start from the genesis hash. */
  | 'not_genesis'
  | 'ts_backwards'
  /** The first event is not the room's creation, or a creation appears later. */
  | 'create_misplaced'
  /** An update payload is not base64, not a Yjs update, or cannot be applied. */
  | 'bad_update'
  /** An update needs changes the log does not hold before it (an update was dropped). */
  | 'update_missing_deps'
  | 'update_after_lock'
  | 'lock_repeated'
  /** The lock event records a content hash that is not the replayed document's. */
  | 'lock_hash'

export type ArchiveProblemCode =
  | LogProblemCode
  /** Not JSON, not an archive, or its envelope does not match the schema. */
  | 'format'
  | 'empty'
  /** The envelope (not covered by the chain) disagrees with the hashed creation event. */
  | 'envelope_mismatch'
  /** The bundle's agreement does not verify (signature, figures, confirmations…). */
  | 'agreement_invalid'
  /** The agreement is not what the log locked. */
  | 'agreement_mismatch'
  | 'agreement_room'
  | 'no_lock'
  /** The archive is labelled with another room than the one its log (seq 1) or its signed anchor was made for. */
  | 'room_mismatch'
  /** The log does not end where the server's signed anchor says (events dropped or added at the end, or re-chained). */
  | 'anchor_mismatch'
  /** The anchor's signature does not verify with the key. */
  | 'anchor_signature'
  /** No anchor: a warning for an export made before anchors, an error when the log binds its room id (the anchor was removed). */
  | 'anchor_missing'
  /** Warning: the anchor's fields were compared but its signature was not checked (no key). */
  | 'anchor_unchecked'
  /** The signed agreement pins the log head at the lock (seq, hash) and this log has something else there. */
  | 'log_head_mismatch'
  /** Warning: an agreement signed before agreements pinned the log head. */
  | 'log_head_missing'

export interface ArchiveProblem {
  code: ArchiveProblemCode
  /** The first seq at which the log stops being the one the server wrote; null when no seq is concerned. */
  seq: number | null
  message: string
}

export interface LogProblem extends ArchiveProblem {
  code: LogProblemCode
  seq: number
}

export interface LogSummary {
  events: number
  lastHash: string
  updates: number
  /** Seq of the lock event, if the room was locked. */
  lockSeq: number | null
  /** Content hash of the document replayed up to the lock event. */
  contentHashAtLock: string | null
}

export type LogCheck = ({ ok: true } & LogSummary) | { ok: false; problem: LogProblem }

export interface AgreementCheck {
  valid: boolean
  contentHash: string
  /** The hash of the document replayed to the lock event, when there is one. */
  replayedHash: string | null
  key: KeyUsed
  problems: VerifyProblem[]
}

/** The export's signed end, once its fields agree with the log. */
export interface AnchorCheck {
  lastSeq: number
  /** True when the signature was checked with a key (given, else the bundle's). */
  signed: boolean
  kid: string
  key: 'given' | 'bundle' | 'none'
}

export interface ArchiveReport {
  valid: boolean
  kind: 'archive' | 'bundle' | null
  /** The first problem along the log, else the first of the others; null when valid. */
  first: ArchiveProblem | null
  /** Every problem found: at most one about the log (its first bad seq), then envelope and bundle problems. */
  problems: ArchiveProblem[]
  events: number
  /** Hash of the last event when the chain holds. */
  lastHash: string | null
  lockSeq: number | null
  contentHashAtLock: string | null
  /** Present for a bundle that carries an agreement. */
  agreement: AgreementCheck | null
  /** Things worth knowing that do not make the file invalid. */
  notes: string[]
  /** What the file cannot prove, with a code (an export without anchor, an unchecked signature, an old agreement). */
  warnings: ArchiveProblem[]
  /** The anchor, when present and the log verified up to it. */
  anchor: AnchorCheck | null
  roomId: string | null
}

export interface VerifyArchiveOptions {
  /** The key to trust for the agreement (else the bundle's publicKey, else the agreement's embedded one). */
  publicKey?: PublicKeyInput
  /** SHA-256 hex of a string; the CLI passes node:crypto's for speed. */
  sha256?: (s: string) => string
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function seqField(x: unknown): number | null {
  const s = isObject(x) ? x['seq'] : undefined
  return typeof s === 'number' && Number.isInteger(s) && s >= 1 ? s : null
}

function short(hash: string): string {
  return `${hash.slice(0, 12)}…`
}

function iso(ts: number): string {
  const d = new Date(ts)
  return Number.isNaN(d.getTime()) ? String(ts) : d.toISOString()
}

function seqRange(from: number, to: number): string {
  return from === to ? `seq ${from}` : `seqs ${from}–${to}`
}

/**
 * events[i] does not carry seq i + 1: dropped, duplicated or reordered. The bad seq is i + 1, the
 * first position at which the log stops being the one the server wrote.
 */
function seqProblem(events: readonly unknown[], i: number, seq: number): LogProblem {
  const expected = i + 1
  if (seq < expected) {
    return {
      code: 'seq_duplicate',
      seq: expected,
      message: `seq ${seq} appears again at events[${i}], where seq ${expected} belongs: an event was inserted or renumbered`,
    }
  }
  let laterAt = -1
  for (let k = i + 1; k < events.length; k++) {
    if (seqField(events[k]) === expected) {
      laterAt = k
      break
    }
  }
  if (laterAt !== -1) {
    return { code: 'seq_order', seq: expected, message: `events are out of order: seq ${seq} comes before seq ${expected} (at events[${laterAt}])` }
  }
  const missing = seqRange(expected, seq - 1)
  const verb = seq - 1 === expected ? 'is' : 'are'
  return {
    code: 'seq_missing',
    seq: expected,
    message: expected === 1 ? `${missing} ${verb} missing: the log starts at seq ${seq}` : `${missing} ${verb} missing: seq ${expected - 1} is followed by seq ${seq}`,
  }
}

/**
 * Walks the log once: shape, seq, hash chain, timestamps, then the update itself (decoded and
 * applied in order, so an update that needs a dropped one is caught). Stops at the first problem.
 */
export function checkEventLog(events: readonly unknown[], sha256: (s: string) => string = sha256Hex): LogCheck {
  const fail = (problem: LogProblem): LogCheck => ({ ok: false, problem })
  let prevHash = GENESIS_HASH
  let prevTs = -Infinity
  let lockSeq: number | null = null
  let contentHashAtLock: string | null = null
  let updates = 0
  // hash → position; the genesis hash sits before the first event.
  const positionOfHash = new Map<string, number>([[GENESIS_HASH, -1]])
  const doc = newRoomDoc()
  try {
    for (let i = 0; i < events.length; i++) {
      const raw = events[i]
      const expected = i + 1
      const shape = validateArchiveEvent(raw)
      if (!shape.ok) {
        const claimed = seqField(raw)
        const which = claimed !== null && claimed !== expected ? ` (claiming seq ${claimed})` : ''
        return fail({ code: 'event_shape', seq: expected, message: `seq ${expected} (events[${i}]${which}) is malformed: ${shape.error}` })
      }
      const e = shape.value
      const selfOk = eventHash(e.prevHash, e, sha256) === e.hash
      const linked = e.prevHash === prevHash
      // Chained to an event further back: what sits between is not part of the chain.
      const j = linked ? undefined : positionOfHash.get(e.prevHash)
      if (j !== undefined && j < i - 1) {
        const range = seqRange(j + 2, i)
        const one = j + 2 === i
        return fail({
          code: 'inserted',
          seq: j + 2,
          message: `${range} (events[${j + 1}${one ? '' : `–${i - 1}`}]) ${one ? 'is' : 'are'} not part of the chain: the next event is chained to seq ${j + 1}, so ${one ? 'it was' : 'they were'} inserted`,
        })
      }
      if (e.seq !== expected) return fail(seqProblem(events, i, e.seq))
      if (!linked) {
        if (selfOk && i === 0) {
          return fail({ code: 'not_genesis', seq: 1, message: 'seq 1 does not start the chain: its prevHash is not the genesis hash (earlier events were dropped)' })
        }
        if (selfOk) {
          return fail({
            code: 'rewritten',
            seq: i,
            message: `seq ${i} was rewritten: it hashes to ${short(prevHash)}, but seq ${expected} is chained to ${short(e.prevHash)} (its hash was recomputed after a change)`,
          })
        }
        return fail({
          code: 'hash_mismatch',
          seq: expected,
          message: `seq ${expected} was altered: its prevHash is not seq ${i}'s hash and its hash does not match its content`,
        })
      }
      if (!selfOk) {
        const hint = e.ts < prevTs ? ` (its ts ${iso(e.ts)} is also earlier than seq ${i}'s)` : ''
        return fail({ code: 'hash_mismatch', seq: expected, message: `seq ${expected} was altered: its hash does not match its content${hint}` })
      }
      if (e.ts < prevTs) {
        return fail({ code: 'ts_backwards', seq: expected, message: `seq ${expected} goes back in time: ts ${iso(e.ts)} is earlier than seq ${i}'s ${iso(prevTs)}` })
      }
      if ((e.seq === 1) !== (e.type === 'create')) {
        return fail({
          code: 'create_misplaced',
          seq: e.seq,
          message: e.seq === 1 ? `seq 1 is a '${e.type}' event, not the room's creation` : `seq ${e.seq} is a second 'create' event`,
        })
      }

      if (carriesUpdate(e)) {
        if (lockSeq !== null && e.type === 'update') {
          return fail({ code: 'update_after_lock', seq: e.seq, message: `seq ${e.seq} changes the document after the lock at seq ${lockSeq}` })
        }
        const decoded = decodeUpdateText(updateTextOf(e))
        if (!decoded.ok) return fail({ code: 'bad_update', seq: e.seq, message: `seq ${e.seq}: ${decoded.reason}` })
        try {
          Y.applyUpdate(doc, decoded.bytes)
        } catch (err) {
          return fail({ code: 'bad_update', seq: e.seq, message: `seq ${e.seq}: the update cannot be applied (${(err as Error).message})` })
        }
        // The server refuses updates with missing dependencies, so every stored update integrates at once.
        if (doc.store.pendingStructs || doc.store.pendingDs) {
          return fail({
            code: 'update_missing_deps',
            seq: e.seq,
            message: `seq ${e.seq}: the update depends on changes that are not in the log before it (an earlier update was dropped)`,
          })
        }
        updates++
      }
      if (e.type === 'lock') {
        if (lockSeq !== null) return fail({ code: 'lock_repeated', seq: e.seq, message: `seq ${e.seq} locks the room again (it was locked at seq ${lockSeq})` })
        lockSeq = e.seq
        contentHashAtLock = contentHashOfDoc(doc)
        const recorded = isObject(e.payload) ? e.payload['contentHash'] : undefined
        if (typeof recorded === 'string' && recorded !== contentHashAtLock) {
          return fail({
            code: 'lock_hash',
            seq: e.seq,
            message: `seq ${e.seq} locks content hash ${short(recorded)}, but the document replayed to it hashes to ${short(contentHashAtLock)}`,
          })
        }
      }
      positionOfHash.set(e.hash, i)
      prevHash = e.hash
      prevTs = e.ts
    }
  } finally {
    doc.destroy()
  }
  return { ok: true, events: events.length, lastHash: prevHash, updates, lockSeq, contentHashAtLock }
}

function emptyReport(kind: ArchiveReport['kind'], problem: ArchiveProblem): ArchiveReport {
  return {
    valid: false,
    kind,
    first: problem,
    problems: [problem],
    events: 0,
    lastHash: null,
    lockSeq: null,
    contentHashAtLock: null,
    agreement: null,
    notes: [],
    warnings: [],
    anchor: null,
    roomId: null,
  }
}

/** The room id hashed into the creation event (seq 1), which rooms created since the binding carry; else null. */
function boundRoomId(archive: ArchiveFile): string | null {
  const create = archive.events[0]
  const id = create && create.type === 'create' && isObject(create.payload) ? create.payload['roomId'] : undefined
  return typeof id === 'string' ? id : null
}

interface Findings {
  problems: ArchiveProblem[]
  warnings: ArchiveProblem[]
  notes: string[]
}

/**
 * The export's end against the server's signed anchor: the room, the last seq and hash, the export time, and
 * the signature (with the given key, else the bundle's; without one the fields are compared and a warning says so).
 */
async function anchorProblems(
  archive: ArchiveFile,
  log: Extract<LogCheck, { ok: true }>,
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

/** The agreement's signed log head (the last event before the lock) must be in this log, unchanged. */
function logHeadProblems(agreement: Agreement, archive: ArchiveFile, log: Extract<LogCheck, { ok: true }>, warnings: ArchiveProblem[]): ArchiveProblem[] {
  const head = agreement.logHead
  if (head === undefined) {
    warnings.push({
      code: 'log_head_missing',
      seq: null,
      message: 'the agreement was signed before agreements pinned the log head: the log before the lock rests on the hash chain and the anchor alone',
    })
    return []
  }
  if (!isObject(head) || typeof head.seq !== 'number' || typeof head.hash !== 'string') return [] // verifyAgreement reports the shape
  const at = archive.events[head.seq - 1]
  if (log.lockSeq !== null && head.seq >= log.lockSeq) {
    return [{ code: 'log_head_mismatch', seq: null, message: `the agreement pins the log at seq ${head.seq}, which is not before the lock at seq ${log.lockSeq}` }]
  }
  if (!at) return [{ code: 'log_head_mismatch', seq: null, message: `the agreement pins the log at seq ${head.seq}, but the log ends at seq ${log.events}` }]
  if (at.hash !== head.hash) {
    return [{
      code: 'log_head_mismatch',
      seq: null,
      message: `the agreement signed at the lock pins seq ${head.seq} with hash ${short(head.hash)}, but this log has ${short(at.hash)} there: an event up to seq ${head.seq} was changed and the chain recomputed`,
    }]
  }
  return []
}

/** The envelope is outside the chain; what the hashed creation event also says must agree with it. */
function envelopeProblems(archive: ArchiveFile): ArchiveProblem[] {
  const create = archive.events[0]
  if (!create || create.type !== 'create' || !isObject(create.payload)) return []
  const out: ArchiveProblem[] = []
  const bound = boundRoomId(archive)
  if (bound !== null && bound !== archive.roomId) {
    out.push({
      code: 'room_mismatch',
      seq: null,
      message: `the archive is labelled room ${JSON.stringify(archive.roomId)}, but its log was created for room ${JSON.stringify(bound)} (seq 1)`,
    })
  }
  for (const field of ['title', 'currency'] as const) {
    const hashed = create.payload[field]
    if (typeof hashed === 'string' && hashed !== archive[field]) {
      out.push({
        code: 'envelope_mismatch',
        seq: null,
        message: `the archive's ${field} ${JSON.stringify(archive[field])} is not the room's (${JSON.stringify(hashed)} at seq 1)`,
      })
    }
  }
  return out
}

async function agreementProblems(
  bundle: DisputeBundle,
  log: Extract<LogCheck, { ok: true }>,
  options: VerifyArchiveOptions,
  found: Findings,
): Promise<{ problems: ArchiveProblem[]; check: AgreementCheck | null }> {
  const notes = found.notes
  const agreement = bundle.agreement
  if (agreement === null) {
    if (log.lockSeq !== null) notes.push(`the room was locked at seq ${log.lockSeq} but the bundle carries no agreement`)
    return { problems: [], check: null }
  }
  const key = options.publicKey ?? bundle.publicKey ?? undefined
  const verified = await verifyAgreement(agreement, key !== undefined ? { publicKey: key } : {})
  const problems: ArchiveProblem[] = verified.problems.map((p) => ({ code: 'agreement_invalid', seq: log.lockSeq, message: `agreement: ${p.message}` }))
  const contentHash = isObject(agreement) && typeof agreement.contentHash === 'string' ? agreement.contentHash : ''
  if (isObject(agreement) && agreement.roomId !== bundle.archive.roomId) {
    problems.push({
      code: 'agreement_room',
      seq: null,
      message: `the agreement is for room ${JSON.stringify(agreement.roomId)}, the archive for room ${JSON.stringify(bundle.archive.roomId)}`,
    })
  }
  if (log.lockSeq === null) {
    problems.push({ code: 'no_lock', seq: null, message: 'the bundle carries an agreement but the log has no lock event (it may have been cut short)' })
  } else if (contentHash !== log.contentHashAtLock) {
    problems.push({
      code: 'agreement_mismatch',
      seq: log.lockSeq,
      message: `the agreement's contentHash ${short(contentHash)} is not the hash of the document replayed to the lock at seq ${log.lockSeq} (${short(log.contentHashAtLock ?? '')})`,
    })
  }
  if (log.lockSeq !== null) {
    const lock = bundle.archive.events[log.lockSeq - 1]
    const recorded = lock && isObject(lock.payload) ? lock.payload['agreementHash'] : undefined
    if (typeof recorded === 'string' && recorded !== agreementHash(agreement as Agreement)) {
      problems.push({ code: 'agreement_mismatch', seq: log.lockSeq, message: `the lock event at seq ${log.lockSeq} records another agreement (agreementHash ${short(recorded)})` })
    }
  }
  if (isObject(agreement)) problems.push(...logHeadProblems(agreement as Agreement, bundle.archive, log, found.warnings))
  if (bundle.publicKey && options.publicKey !== undefined) notes.push("the bundle's publicKey was not used: a key was given")
  if (verified.key.source === 'embedded') notes.push("the agreement was checked with the key embedded in it: this proves integrity, not who signed")
  return {
    problems,
    check: { valid: problems.length === 0, contentHash, replayedHash: log.contentHashAtLock, key: verified.key, problems: verified.problems },
  }
}

/**
 * Verifies an archive file or a dispute bundle (JSON text or parsed value). Never throws for bad
 * input: `first` names the first bad seq (or the envelope/bundle problem) with a human reason.
 */
export async function verifyArchive(input: unknown, options: VerifyArchiveOptions = {}): Promise<ArchiveReport> {
  const json = parseJson(input)
  if (!json.ok) return emptyReport(null, { code: 'format', seq: null, message: json.error })
  const kind = formatOf(json.value)
  if (kind === null) return emptyReport(null, { code: 'format', seq: null, message: UNKNOWN_FORMAT_ERROR })
  const envelope = kind === 'archive' ? validateArchiveEnvelope(json.value) : validateDisputeBundleEnvelope(json.value)
  if (!envelope.ok) return emptyReport(kind, { code: 'format', seq: null, message: envelope.error })

  const bundle = kind === 'bundle' ? (json.value as DisputeBundle) : null
  const archive = bundle ? bundle.archive : (json.value as ArchiveFile)
  const events = archive.events as unknown[]
  const report: ArchiveReport = {
    valid: false,
    kind,
    first: null,
    problems: [],
    events: events.length,
    lastHash: null,
    lockSeq: null,
    contentHashAtLock: null,
    agreement: null,
    notes: [],
    warnings: [],
    anchor: null,
    roomId: archive.roomId,
  }
  if (events.length === 0) report.problems.push({ code: 'empty', seq: null, message: 'the archive holds no events' })
  else {
    const log = checkEventLog(events, options.sha256)
    if (!log.ok) report.problems.push(log.problem)
    else {
      report.lastHash = log.lastHash
      report.lockSeq = log.lockSeq
      report.contentHashAtLock = log.contentHashAtLock
      report.problems.push(...envelopeProblems(archive))
      const found: Findings = { problems: report.problems, warnings: report.warnings, notes: report.notes }
      if (bundle) {
        const r = await agreementProblems(bundle, log, options, found)
        report.problems.push(...r.problems)
        report.agreement = r.check
      }
      const key = options.publicKey !== undefined ? { input: options.publicKey, source: 'given' as const } : bundle?.publicKey ? { input: bundle.publicKey, source: 'bundle' as const } : null
      report.anchor = await anchorProblems(archive, log, key, found)
    }
  }
  report.first = report.problems[0] ?? null
  report.valid = report.problems.length === 0
  return report
}
