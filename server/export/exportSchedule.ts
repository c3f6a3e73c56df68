// The agreed schedule as the exports (CSV, JSON, calendar, Fineract) read it: one line per instalment with a due date.
import type { Agreement } from '../../shared/agreement/agreement.ts'
import { checkContent, type CheckedContent } from '../../shared/content/validateContent.ts'
import { addMonths, dueDate } from '../../shared/terms/dates.ts'
import type { Minor } from '../../shared/terms/types.ts'

export interface ScheduleLine {
  period: number
  /** YYYY-MM-DD. */
  dueDate: string
  principal: Minor
  interest: Minor
  /** Fees charged with this instalment: none in this product (the upfront fee is deducted at disbursement). */
  fee: Minor
  /** principal + interest + fee: what falls due. */
  total: Minor
  /** Balance after this instalment. */
  balance: Minor
}

/**
 * Where the dates come from: `agreed` when the parties set a first due date (commitments.firstDueDate);
 * `assumed` otherwise, and then period 1 falls due one calendar month after the day of the lock (UTC).
 */
export type DatesSource = 'agreed' | 'assumed'

export interface ExportSchedule {
  lines: ScheduleLine[]
  firstDueDate: string
  datesSource: DatesSource
  /** The agreement's content, checked (terms as the engine reads them, commitments, restructuring). */
  checked: CheckedContent
}

/** The UTC calendar day of an ISO instant. */
export function isoDay(instant: string): string {
  return new Date(instant).toISOString().slice(0, 10)
}

/** Throws on an agreement whose content does not check: a signed agreement always does. */
export function exportSchedule(agreement: Agreement): ExportSchedule {
  const checked = checkContent(agreement.content)
  if (!checked.ok) throw new RangeError(`agreement content is not valid: ${checked.errors.join('; ')}`)
  const agreed = agreement.computed.firstDueDate ?? checked.value.commitments.firstDueDate
  const firstDueDate = agreed ?? addMonths(isoDay(agreement.lockedAt), 1)
  const lines = agreement.computed.payments.map((row) => ({
    period: row.period,
    dueDate: row.dueDate ?? dueDate(firstDueDate, row.period),
    principal: row.principal,
    interest: row.interest,
    fee: 0,
    total: row.payment,
    balance: row.balance,
  }))
  return { lines, firstDueDate, datesSource: agreed ? 'agreed' : 'assumed', checked: checked.value }
}
