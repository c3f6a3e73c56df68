// What verifying an archive can find wrong, and how its messages name seqs and hashes.

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

/** Where the checks after the log collect what they find (the report's own arrays). */
export interface Findings {
  problems: ArchiveProblem[]
  warnings: ArchiveProblem[]
  notes: string[]
}

export function short(hash: string): string {
  return `${hash.slice(0, 12)}…`
}

export function iso(ts: number): string {
  const d = new Date(ts)
  return Number.isNaN(d.getTime()) ? String(ts) : d.toISOString()
}

export function seqRange(from: number, to: number): string {
  return from === to ? `seq ${from}` : `seqs ${from}–${to}`
}
