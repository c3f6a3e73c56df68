// The event log walked once, in order: the first seq at which it stops being the log the server wrote.
import * as Y from 'yjs'
import { contentHashOfDoc } from '../content/contentHash.ts'
import { sha256Hex } from '../document/sha256.ts'
import { GENESIS_HASH, eventHash } from '../protocol/eventLog.ts'
import { validateArchiveEvent } from '../schema/archive.schema.ts'
import { isObject } from '../schema/isObject.ts'
import { iso, seqRange, short, type LogProblem } from './archiveProblem.ts'
import { carriesUpdate, decodeUpdateText, newRoomDoc, updateTextOf } from './updatePayload.ts'

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

/** A log that verified to its end. */
export type CheckedLog = Extract<LogCheck, { ok: true }>

function seqField(x: unknown): number | null {
  const s = isObject(x) ? x['seq'] : undefined
  return typeof s === 'number' && Number.isInteger(s) && s >= 1 ? s : null
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
