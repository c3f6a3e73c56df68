// A room is created with a first due date when none is given: confirming needs one (the agreement dates every
// payment from it), and scripts create rooms with just {title, currency, terms}. The parties change it in the room.
import { addMonths } from '../../shared/terms/dates.ts'

/** The UTC calendar day of `ms` as YYYY-MM-DD. */
export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10)
}

/**
 * One month after the baseline's `asOfDate` in a restructuring room (so it always falls after it, as
 * checkContent requires), else one month after `createdOn` (YYYY-MM-DD); the day of month kept or clamped to the
 * month's end (Jan 31 → Feb 28/29).
 */
export function defaultFirstDueDate(createdOn: string, baselineAsOf?: string): string {
  return addMonths(baselineAsOf ?? createdOn, 1)
}
