// The stated debt is the ground both sides confirm on: while a confirmation stands, the lender may not restate it.
import { ROOT } from './roomDoc.ts'

export interface BaselineRefusal {
  code: 'baseline_frozen'
  message: string
}

/** Whether the lender's baseline inputs are open (the UI disables them otherwise, so no refused write is ever sent). */
export function baselineEditable(confirmedBy: Iterable<string>): boolean {
  for (const _role of confirmedBy) return false
  return true
}

/**
 * The server's check for one update: `roots` are the root types it writes (inspectUpdate), `confirmedBy` the roles
 * whose confirmation currently stands. A baseline write while anyone has confirmed is refused (a content change
 * would clear the confirmations silently, so the debt the borrower confirmed on could be restated under them).
 */
export function baselineWriteRefusal(roots: Iterable<string>, confirmedBy: Iterable<string>): BaselineRefusal | null {
  const confirmed = [...confirmedBy]
  if (confirmed.length === 0) return null
  for (const root of roots) {
    if (root === ROOT.baseline) {
      return {
        code: 'baseline_frozen',
        message: `the debt being restructured cannot change while a confirmation stands (${confirmed.join(', ')}); withdraw it first`,
      }
    }
  }
  return null
}
