// An amount input in groups of three while it is typed ("150000" reads "150,000"), with the caret kept after
// the same digit. The text is regrouped only when it is a plain figure; anything else stays as typed so the
// field can say what is wrong with it. The comma is what parseMajor reads back, in English and Chinese alike
// (Intl groups zh-CN with "," too).
import { groupThousands, normalizeDigits } from '../../../shared/format/money.ts'

/** Grouping marks a person may type or paste (the ones parseMajor ignores). */
const SEPARATOR = /[,\s_']/
const SEPARATORS = /[,\s_']/g
const PLAIN = /^\d*(?:\.\d*)?$/

export interface Caret {
  text: string
  /** Where the caret goes in `text` (a collapsed selection). */
  caret: number
}

/** "1,234,567.89" → "1234567.89": the figure without its grouping marks. */
export function ungroup(text: string): string {
  return text.replace(SEPARATORS, '')
}

/** "1234567.89" → "1,234,567.89" for a plain figure (digits, at most one point); anything else as it is. */
export function group(plain: string): string {
  return PLAIN.test(plain) ? groupThousands(plain) : plain
}

/** How many characters other than grouping marks stand before `index`. */
function keptBefore(text: string, index: number): number {
  let n = 0
  for (let i = 0; i < index && i < text.length; i++) if (!SEPARATOR.test(text[i]!)) n++
  return n
}

/** The index just after the n-th character that is not a grouping mark (0 for none). */
function afterKept(text: string, n: number): number {
  if (n <= 0) return 0
  let seen = 0
  for (let i = 0; i < text.length; i++) {
    if (!SEPARATOR.test(text[i]!)) seen++
    if (seen === n) return i + 1
  }
  return text.length
}

/** The text regrouped, and the caret after the same digit as before. Text that is not a plain figure is left alone. */
export function regroup(text: string, caret: number): Caret {
  // Full-width digits and marks become ASCII one character for one, so indices still match.
  const typed = normalizeDigits(text)
  const plain = ungroup(typed)
  if (!PLAIN.test(plain)) return { text, caret }
  const grouped = group(plain)
  return { text: grouped, caret: afterKept(grouped, keptBefore(typed, caret)) }
}

/**
 * One edit of a grouped amount: `before` was the text, `after` is what the input holds now with the caret at
 * `caret`, `inputType` is the InputEvent's. Deleting a grouping mark alone would bring it straight back, so
 * Backspace over one deletes the digit before it and Delete the digit after it.
 */
export function editAmount(before: string, after: string, caret: number, inputType?: string): Caret {
  const removedMark =
    after.length === before.length - 1 && SEPARATOR.test(before[caret] ?? '') && before.slice(0, caret) + before.slice(caret + 1) === after
  if (removedMark && inputType === 'deleteContentBackward' && caret > 0) {
    return regroup(after.slice(0, caret - 1) + after.slice(caret), caret - 1)
  }
  if (removedMark && inputType === 'deleteContentForward' && caret < after.length) {
    return regroup(after.slice(0, caret) + after.slice(caret + 1), caret)
  }
  return regroup(after, caret)
}
