// A restructuring as the body of Fineract's `POST /rescheduleloans` on the existing loan; docs/FINERACT.md maps every field.
import type { Agreement } from '../../../shared/agreement/agreement.ts'
import type { Method } from '../../../shared/terms/types.ts'
import { isoDay, type ExportSchedule } from '../exportSchedule.ts'
import { commonNotes, DATE_FORMAT, fingerprintComment, LOCALE, major, productRequirements, ratePercent } from './fineractCommon.ts'
import { FINERACT_DEFAULT_IDS, type FineractExport, type FineractNote, type FineractOptions, type FineractRescheduleRequest } from './fineractTypes.ts'

/**
 * A reschedule keeps the loan's amortisation (equal instalments or equal principal), so the agreed method must be the
 * one the original loan was booked with; interest-only is grace on principal and fits either.
 */
function methodFits(method: Method, original: Method | undefined): boolean {
  if (method === 'interest_only') return original !== 'bullet'
  if (method === 'annuity') return original === undefined || original === 'annuity' || original === 'interest_only'
  return method === 'equal_principal' && original === 'equal_principal'
}

export function fineractReschedule(agreement: Agreement, schedule: ExportSchedule, options: FineractOptions = {}): Extract<FineractExport, { endpoint: 'POST /rescheduleloans' }> {
  const r = schedule.checked.restructuring
  if (!r) throw new RangeError('a reschedule needs a restructuring (baseline)')
  const t = schedule.checked.terms
  const b = r.baseline
  const money = (minor: number) => `${major(minor, agreement.currency)} ${agreement.currency}`
  const notes: FineractNote[] = commonNotes(schedule, options, ['loanId'])
  let exact = true
  const from = options.rescheduleFromDate ?? schedule.firstDueDate
  const body: FineractRescheduleRequest = {
    loanId: options.loanId ?? FINERACT_DEFAULT_IDS.loanId,
    rescheduleFromDate: from,
    rescheduleReasonId: options.rescheduleReasonId ?? FINERACT_DEFAULT_IDS.rescheduleReasonId,
    rescheduleReasonComment: fingerprintComment(agreement),
    submittedOnDate: isoDay(agreement.lockedAt),
    newInterestRate: ratePercent(t.annualRatePct),
    dateFormat: DATE_FORMAT,
    locale: LOCALE,
  }
  if (from !== schedule.firstDueDate) body.adjustedDueDate = schedule.firstDueDate
  if (options.rescheduleFromDate === undefined) {
    notes.push({
      code: 'reschedule_from_date',
      message: `rescheduleFromDate assumes the loan's next unpaid instalment falls due on the agreed first due date ${schedule.firstDueDate}; if it does not, give that date (?rescheduleFromDate=…) and adjustedDueDate moves it to ${schedule.firstDueDate}`,
    })
  }

  if (b.originalRemainingMonths < 1) {
    exact = false
    notes.push({ code: 'matured_loan', message: 'the original loan has matured or was called in (no instalment left): Fineract reschedules only instalments still to come; use ?as=loan to refinance' })
  }
  const extra = t.termMonths - b.originalRemainingMonths
  if (extra > 0) body.extraTerms = extra
  if (extra < 0) {
    exact = false
    notes.push({ code: 'term_shortened', message: `the plan has ${t.termMonths} months, ${-extra} fewer than the loan's remaining ${b.originalRemainingMonths}: extraTerms cannot shorten a loan` })
  }

  const grace = t.graceMonths ?? 0
  const capitalized = grace > 0 && (t.graceInterest ?? 'capitalize') === 'capitalize'
  if (t.method === 'bullet') {
    exact = false
    notes.push({ code: 'bullet_reschedule', message: 'a single payment at maturity with simple interest cannot be made by rescheduling an instalment loan; use ?as=loan' })
  } else if (!methodFits(t.method, b.originalMethod)) {
    exact = false
    notes.push({ code: 'method_change', message: `the plan repays ${t.method} but the loan was booked ${b.originalMethod ?? 'without a method'}: a reschedule keeps the loan's amortisation; use ?as=loan` })
  }
  const principalGrace = t.method === 'interest_only' ? t.termMonths - 1 : grace
  if (principalGrace > 0 && t.method !== 'bullet') body.graceOnPrincipal = principalGrace
  if (capitalized) {
    exact = false
    body.graceOnInterest = grace
    notes.push({
      code: 'capitalized_grace',
      message: `the agreed ${grace} grace month(s) capitalise their interest; Fineract's graceOnInterest defers it to the first instalment after the grace instead, so its schedule will differ`,
    })
  }

  const w = r.breakdown.waivers
  const arrears = r.breakdown.newPrincipal - r.breakdown.outstandingPrincipal
  if (arrears > 0) {
    exact = false
    notes.push({
      code: 'arrears_not_capitalized',
      message:
        `the new principal ${money(r.breakdown.newPrincipal)} includes ${money(arrears)} of arrears (interest, penalty interest and fees not waived); a reschedule keeps ` +
        `the loan's principal (${money(r.breakdown.outstandingPrincipal)}), so those stay overdue on the loan instead of being spread: use ?as=loan to refinance them`,
    })
  }
  if (w.total > 0) {
    const parts = [
      w.accruedInterest + w.penaltyInterest > 0 ? `waive interest of ${money(w.accruedInterest + w.penaltyInterest)} (POST /loans/${body.loanId}/transactions?command=waiveinterest)` : '',
      w.fees > 0 ? `waive charges of ${money(w.fees)} (POST /loans/${body.loanId}/charges/{chargeId}?command=waive)` : '',
    ].filter((p) => p !== '')
    notes.push({ code: 'waivers', message: `record the waivers before the reschedule: ${parts.join('; ')}` })
  }
  const fee = t.upfrontFee ?? 0
  if (fee > 0) {
    notes.push({ code: 'upfront_fee', message: `the restructuring fee ${money(fee)} is not part of a reschedule: add it as a charge on the loan (POST /loans/${body.loanId}/charges)` })
  }
  const product = [
    ...productRequirements(agreement.currency),
    `the loan's principal outstanding is ${money(b.outstandingPrincipal)} (the baseline on ${b.asOfDate}) and its rate was ${b.originalAnnualRatePct}% a year`,
  ]
  return { endpoint: 'POST /rescheduleloans', body, exact, notes, product }
}
