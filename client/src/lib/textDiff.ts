// Minimal text edits between two strings, and carets carried across a remote edit.

export interface TextEdit {
  index: number
  deleteCount: number
  insert: string
}

/** The single replace that turns `before` into `after` (common prefix and suffix kept). Null when equal. */
export function diffText(before: string, after: string): TextEdit | null {
  if (before === after) return null
  let start = 0
  const max = Math.min(before.length, after.length)
  while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start++
  let endB = before.length
  let endA = after.length
  while (endB > start && endA > start && before.charCodeAt(endB - 1) === after.charCodeAt(endA - 1)) {
    endB--
    endA--
  }
  // Never split a surrogate pair: widen the edit by one code unit on either side if needed.
  if (start > 0 && isHighSurrogate(before.charCodeAt(start - 1)) && start < endB + 1) start--
  if (endB < before.length && isLowSurrogate(before.charCodeAt(endB))) {
    endB++
    endA++
  }
  return { index: start, deleteCount: endB - start, insert: after.slice(start, endA) }
}

function isHighSurrogate(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff
}
function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff
}

/** A Yjs text delta: retain / insert / delete operations in order. */
export type DeltaOp = { retain?: number; insert?: unknown; delete?: number }

/**
 * Where a caret at `index` ends up after someone else's edit described by `delta`.
 * An insert exactly at the caret goes before it (the remote text does not push into one's word).
 */
export function transformIndex(index: number, delta: readonly DeltaOp[]): number {
  let pos = 0 // position in the old text
  let shift = 0
  for (const op of delta) {
    if (pos > index) break
    if (op.retain !== undefined) {
      pos += op.retain
    } else if (op.insert !== undefined) {
      const len = typeof op.insert === 'string' ? op.insert.length : 1
      if (pos <= index) shift += len
    } else if (op.delete !== undefined) {
      const end = pos + op.delete
      if (end <= index) shift -= op.delete
      else if (pos < index) shift -= index - pos
      pos = end
    }
  }
  return Math.max(0, index + shift)
}
