// Terms → schedule rows, totals, APR and EAR: the one entry point every screen and the server call.
import { annuityRows } from './annuity.ts'
import { aprAndEar } from './apr.ts'
import { bulletRows } from './bullet.ts'
import { equalPrincipalRows } from './equalPrincipal.ts'
import { graceRows } from './grace.ts'
import { interestOnlyRows } from './interestOnly.ts'
import { monthlyRate, parseRate } from './rate.ts'
import { fitsSafeRange, SAFE_RANGE_REASON } from './safeRange.ts'
import type { Minor, PaymentRow, ScheduleResult, Terms } from './types.ts'

export interface Rows {
  rows: PaymentRow[]
  /**
   * The instalment a person budgets for, per method:
   * - annuity: the equal post-grace instalment (the first post-grace payment; only the last differs);
   * - equal_principal: the first post-grace payment, the highest one;
   * - interest_only: the monthly interest payment after grace (the last payment adds the principal);
   *   with a single post-grace month, that one payment;
   * - bullet: the single payment at maturity.
   */
  regularInstalment: Minor
}

/** Throws RangeError for terms the schema would refuse: the engine is only ever given validated terms. */
function assertTerms(terms: Terms): void {
  const { principal, termMonths, method } = terms
  const grace = terms.graceMonths ?? 0
  const fee = terms.upfrontFee ?? 0
  if (!Number.isSafeInteger(principal) || principal < 1) throw new RangeError('principal must be a positive integer')
  if (!Number.isInteger(termMonths) || termMonths < 1 || termMonths > 600) throw new RangeError('termMonths must be 1..600')
  if (!Number.isInteger(grace) || grace < 0 || grace >= termMonths) throw new RangeError('graceMonths must be 0..termMonths-1')
  if (grace > 0 && method === 'bullet') throw new RangeError('graceMonths is not allowed with bullet')
  if (!Number.isSafeInteger(fee) || fee < 0 || fee >= principal) throw new RangeError('upfrontFee must be 0..principal-1')
}

/** The rows and the regular instalment, without APR (what solve needs). */
export function buildRows(terms: Terms): Rows {
  assertTerms(terms)
  const rate = monthlyRate(parseRate(terms.annualRatePct))
  const grace = terms.graceMonths ?? 0
  const rows: PaymentRow[] = []
  let balance = terms.principal
  if (grace > 0) balance = graceRows(rows, balance, rate, grace, terms.graceInterest ?? 'capitalize')
  if (!fitsSafeRange(balance, rate, terms.termMonths)) throw new RangeError(SAFE_RANGE_REASON)
  const months = terms.termMonths - grace
  let regularInstalment: Minor
  switch (terms.method) {
    case 'annuity':
      regularInstalment = annuityRows(rows, balance, rate, months)
      break
    case 'equal_principal':
      regularInstalment = equalPrincipalRows(rows, balance, rate, months)
      break
    case 'interest_only':
      regularInstalment = interestOnlyRows(rows, balance, rate, months)
      break
    case 'bullet':
      regularInstalment = bulletRows(rows, balance, rate, months)
      break
    default:
      throw new RangeError(`unknown method: ${String((terms as { method: unknown }).method)}`)
  }
  return { rows, regularInstalment }
}

export function computeSchedule(terms: Terms): ScheduleResult {
  const { rows, regularInstalment } = buildRows(terms)
  const payments = new Array<Minor>(rows.length)
  let totalPaid = 0
  for (let k = 0; k < rows.length; k++) {
    const p = (rows[k] as PaymentRow).payment
    payments[k] = p
    totalPaid += p
  }
  const { aprPct, earPct } = aprAndEar(terms.principal - (terms.upfrontFee ?? 0), payments)
  return { payments: rows, totalInterest: totalPaid - terms.principal, totalPaid, aprPct, earPct, regularInstalment }
}
