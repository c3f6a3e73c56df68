// "What do I gain?": a proposal against the original terms, figure by figure.
import { dueDate } from './dates.ts'
import { subtractFixed4 } from './fixed.ts'
import { computeSchedule } from './schedule.ts'
import type { Minor, ScheduleResult, Terms } from './types.ts'

export interface ScheduleSummary {
  /** See Rows.regularInstalment in schedule.ts for the rule per method. */
  regularInstalment: Minor
  totalPaid: Minor
  totalInterest: Minor
  aprPct: string
  earPct: string
  /** The last period with a payment (an annuity that repays early ends before its term). */
  lastPaymentPeriod: number
  /** Its due date when a first due date was given, else null. */
  lastPaymentDate: string | null
}

export interface Comparison {
  original: ScheduleSummary
  proposal: ScheduleSummary
  /** proposal − original: negative instalment/totals/APR are what the borrower gains. */
  change: {
    regularInstalment: Minor
    totalPaid: Minor
    totalInterest: Minor
    /** Percentage points, 4 decimals, exact ("-0.5000"). */
    aprPct: string
    /** Months later (positive) or earlier (negative) that the last payment falls. */
    lastPaymentMonths: number
  }
}

export interface CompareOptions {
  /** YYYY-MM-DD on which period 1 of both schedules falls due. */
  firstDueDate?: string
}

function summarize(result: ScheduleResult, firstDueDate: string | undefined): ScheduleSummary {
  let last = 0
  for (const row of result.payments) if (row.payment > 0) last = row.period
  return {
    regularInstalment: result.regularInstalment,
    totalPaid: result.totalPaid,
    totalInterest: result.totalInterest,
    aprPct: result.aprPct,
    earPct: result.earPct,
    lastPaymentPeriod: last,
    lastPaymentDate: firstDueDate === undefined ? null : dueDate(firstDueDate, last),
  }
}

/** `options` may also be the first due date itself ("2025-01-15"). */
export function compareResults(original: ScheduleResult, proposal: ScheduleResult, options: CompareOptions | string = {}): Comparison {
  const firstDueDate = typeof options === 'string' ? options : options.firstDueDate
  const a = summarize(original, firstDueDate)
  const b = summarize(proposal, firstDueDate)
  return {
    original: a,
    proposal: b,
    change: {
      regularInstalment: b.regularInstalment - a.regularInstalment,
      totalPaid: b.totalPaid - a.totalPaid,
      totalInterest: b.totalInterest - a.totalInterest,
      aprPct: subtractFixed4(b.aprPct, a.aprPct),
      lastPaymentMonths: b.lastPaymentPeriod - a.lastPaymentPeriod,
    },
  }
}

/** Computes both schedules (terms must be valid) and compares them. */
export function compare(original: Terms, proposal: Terms, options: CompareOptions | string = {}): Comparison {
  return compareResults(computeSchedule(original), computeSchedule(proposal), options)
}
