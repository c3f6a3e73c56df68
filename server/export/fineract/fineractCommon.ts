// What both Fineract bodies share: the date and number conventions, ids with their defaults, and the notes every export carries.
import type { Agreement } from '../../../shared/agreement/agreement.ts'
import { minorDigits, minorToMajorString } from '../../../shared/format/money.ts'
import type { Minor } from '../../../shared/terms/types.ts'
import type { ExportSchedule } from '../exportSchedule.ts'
import { FINERACT_DEFAULT_IDS, type FineractNote, type FineractOptions } from './fineractTypes.ts'

/** Every date in the bodies is ISO (Fineract parses dates with the request's dateFormat and locale). */
export const DATE_FORMAT = 'yyyy-MM-dd'
/** Decimal point ".", no grouping: amounts travel as exact decimal strings. */
export const LOCALE = 'en'

/** Minor units → the exact major-unit decimal string Fineract reads with LOCALE ("120000.00"). */
export function major(minor: Minor, currency: string): string {
  return minorToMajorString(minor, minorDigits(currency))
}

/** "4.35" → 4.35: the JSON number has the same decimal digits (at most 4 decimals, so it prints exactly). */
export function ratePercent(annualRatePct: string): number {
  return Number(annualRatePct)
}

/** The settings the Fineract loan product (and tenant) must have for its schedule to equal the agreed one. */
export function productRequirements(currency: string): string[] {
  return [
    `currency ${currency} with ${minorDigits(currency)} digits after the decimal point, in multiples of 0 (no instalment rounding to multiples)`,
    'nominal interest rate frequency: per year (interestRatePerPeriod is the agreed yearly rate)',
    'days in year: 360, days in month: 30 (one month of interest is exactly balance × yearly rate / 12)',
    'interest recalculation disabled; no fixed principal percentage; no multi-disbursement',
    'tenant rounding mode HALF_UP (global configuration "rounding-mode" = 4); the default HALF_EVEN differs by one minor unit on an exact half',
    'attribute overrides allowed for amortization type, repayment frequency, grace on principal and interest payment, transaction processing strategy',
  ]
}

/** The notes of the ids left to their placeholder defaults, and of dates the parties did not agree. */
export function commonNotes(schedule: ExportSchedule, options: FineractOptions, placeholders: readonly ('clientId' | 'loanId')[]): FineractNote[] {
  const notes: FineractNote[] = []
  for (const id of placeholders) {
    if (options[id] === undefined) {
      notes.push({
        code: 'placeholder_id',
        message: `${id} ${FINERACT_DEFAULT_IDS[id]} is a placeholder: give the Fineract ${id === 'clientId' ? 'client' : 'loan'} id (?${id}=…, --${id === 'clientId' ? 'client-id' : 'loan-id'})`,
      })
    }
  }
  if (schedule.datesSource === 'assumed') {
    notes.push({
      code: 'assumed_dates',
      message: `the agreement sets no first due date: the first instalment is assumed due on ${schedule.firstDueDate}, one month after the lock`,
    })
  }
  return notes
}

export function fingerprintComment(agreement: Agreement): string {
  return `Negotiation room ${agreement.roomId}, signed agreement ${agreement.contentHash.slice(0, 8)}`
}
