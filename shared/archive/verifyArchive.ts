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
    roomId: null,
  }
}

/** The envelope is outside the chain; what the hashed creation event also says must agree with it. */
function envelopeProblems(archive: ArchiveFile): ArchiveProblem[] {
  const create = archive.events[0]
  if (!create || create.type !== 'create' || !isObject(create.payload)) return []
  const out: ArchiveProblem[] = []
  // roomId is compared only if the server records it in the creation event (it does not yet).
  for (const field of ['roomId', 'title', 'currency'] as const) {
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
  notes: string[],
): Promise<{ problems: ArchiveProblem[]; check: AgreementCheck | null }> {
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
      if (bundle) {
        const r = await agreementProblems(bundle, log, options, report.notes)
        report.problems.push(...r.problems)
        report.agreement = r.check
      }
    }
  }
  report.first = report.problems[0] ?? null
  report.valid = report.problems.length === 0
  return report
}
