// The change list a person reads: keystrokes folded together. Consecutive edits of the same field
// (or of the clauses) by the same person, each within `gapMs` of the previous one, become one line
// "from the first value → to the last"; a field typed and put back as it was drops out.
import type { Scalar } from '../../../shared/document/roomDoc.ts'
import type { MapRoot, TermChange } from '../../../shared/archive/termChange.ts'
import type { Actor } from '../../../shared/protocol/room.ts'

export type ChangeEntry =
  | { kind: 'key'; seq: number; firstSeq: number; ts: number; actor: Actor; root: MapRoot; key: string; from: Scalar | null; to: Scalar | null }
  | { kind: 'clauses'; seq: number; firstSeq: number; ts: number; actor: Actor; inserted: number; deleted: number }

export const DEFAULT_GAP_MS = 60_000

const sameActor = (a: Actor, b: Actor): boolean => a.role === b.role && a.name === b.name

/** `changes` in seq order → entries in seq order (`seq` is the last event folded in, `ts` the first). */
export function groupChanges(changes: readonly TermChange[], gapMs = DEFAULT_GAP_MS): ChangeEntry[] {
  const out: ChangeEntry[] = []
  let lastTs = -Infinity
  for (const c of changes) {
    const prev = out[out.length - 1]
    const close = prev !== undefined && sameActor(prev.actor, c.actor) && c.ts - lastTs <= gapMs
    if (c.root === 'clauses') {
      if (close && prev.kind === 'clauses') {
        prev.seq = c.seq
        prev.inserted += c.inserted
        prev.deleted += c.deleted
      } else out.push({ kind: 'clauses', seq: c.seq, firstSeq: c.seq, ts: c.ts, actor: c.actor, inserted: c.inserted, deleted: c.deleted })
    } else if (close && prev.kind === 'key' && prev.root === c.root && prev.key === c.key && c.actor.role !== 'system') {
      prev.seq = c.seq
      prev.to = c.to
      if (prev.from === prev.to) out.pop()
    } else {
      out.push({ kind: 'key', seq: c.seq, firstSeq: c.seq, ts: c.ts, actor: c.actor, root: c.root, key: c.key, from: c.from, to: c.to })
    }
    lastTs = c.ts
  }
  return out
}

/** How many of `changes` (in seq order) had happened by `seq`. */
export function changesUpTo(changes: readonly { seq: number }[], seq: number): number {
  let lo = 0
  let hi = changes.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (changes[mid]!.seq <= seq) lo = mid + 1
    else hi = mid
  }
  return lo
}
