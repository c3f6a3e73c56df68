// The schedule as CSV (RFC 4180): a header row, then one line per instalment, amounts in minor units and formatted.
import { formatAmount } from '../../shared/format/money.ts'
import type { ScheduleLine } from './exportSchedule.ts'

/** Column names are stable identifiers for import scripts, whatever the language of the formatted amounts. */
export const CSV_COLUMNS = [
  'period',
  'due_date',
  'currency',
  'principal_minor',
  'interest_minor',
  'fee_minor',
  'total_minor',
  'balance_minor',
  'principal',
  'interest',
  'fee',
  'total',
  'balance',
] as const

/** RFC 4180 §2: a field with a comma, a double quote or a line break is quoted, its quotes doubled. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value
}

/** `locale` formats the readable columns (grouping and decimals of that language, no currency symbol). */
export function scheduleCsv(lines: readonly ScheduleLine[], currency: string, locale: string): string {
  const amount = (minor: number) => formatAmount(minor, currency, locale)
  const rows: string[][] = [[...CSV_COLUMNS]]
  for (const l of lines) {
    const minor = [l.principal, l.interest, l.fee, l.total, l.balance]
    rows.push([String(l.period), l.dueDate, currency, ...minor.map(String), ...minor.map(amount)])
  }
  // RFC 4180 ends every record, the last one included, with CRLF.
  return rows.map((r) => r.map(csvField).join(',') + '\r\n').join('')
}
