// Due dates by calendar month, the day kept or clamped to the month's end (Jan 31 → Feb 29 → Mar 31).

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate()
}

function parseDate(date: string): { y: number; m: number; d: number } {
  const match = ISO_DATE.exec(date)
  const [y, m, d] = match ? [Number(match[1]), Number(match[2]), Number(match[3])] : [0, 0, 0]
  if (!match || m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) throw new RangeError(`not a date YYYY-MM-DD: ${JSON.stringify(date)}`)
  return { y, m, d }
}

/** `date` plus `months` calendar months, always counted from the same anchor day. */
export function addMonths(date: string, months: number): string {
  const { y, m, d } = parseDate(date)
  const index = y * 12 + (m - 1) + months
  const year = Math.floor(index / 12)
  const month = index - year * 12 + 1
  const day = Math.min(d, daysInMonth(year, month))
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`
}

/** The due date of `period` (1-based) when period 1 falls due on `firstDue`. */
export function dueDate(firstDue: string, period: number): string {
  return addMonths(firstDue, period - 1)
}
