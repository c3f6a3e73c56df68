// The agreement's computed figures, derived only from the agreed content (the signer and every verifier run this).
import type { RoomContent } from '../document/roomDoc.ts'
import { computeSchedule, dueDate } from '../terms/index.ts'
import type { Terms } from '../terms/types.ts'
import { validateTerms } from '../schema/terms.schema.ts'
import { checkContent, type CheckedContent } from '../content/validateContent.ts'
import { restructuringComparison } from '../restructuring/recovery.ts'
import type { AgreementComputed, AgreementPaymentRow, AgreementRestructuring, PaymentPoint } from './agreement.ts'

export type TermsCheck = { ok: true; terms: Terms } | { ok: false; reason: string }

/** The agreed terms as the terms engine reads them, or why they are not valid terms. */
export function checkTerms(raw: unknown): TermsCheck {
  const checked = validateTerms(raw)
  return checked.ok ? { ok: true, terms: checked.value } : { ok: false, reason: checked.error }
}

export function computeAgreementFigures(terms: Terms, firstDueDate?: string): AgreementComputed {
  const schedule = computeSchedule(terms)
  const payments: AgreementPaymentRow[] = schedule.payments.map((row) => {
    const out: AgreementPaymentRow = {
      period: row.period,
      payment: row.payment,
      principal: row.principal,
      interest: row.interest,
      balance: row.balance,
    }
    if (firstDueDate) out.dueDate = dueDate(firstDueDate, row.period)
    return out
  })
  const last = payments[payments.length - 1]
  if (!last) throw new Error('computeSchedule returned no rows')
  // First and last rows that move money (capitalised grace rows pay nothing; an annuity may finish early).
  const firstPaying = payments.find((r) => r.payment > 0) ?? last
  let lastPaying = last
  for (let i = payments.length - 1; i >= 0; i--) {
    if (payments[i]!.payment > 0) {
      lastPaying = payments[i]!
      break
    }
  }
  const point = (row: AgreementPaymentRow): PaymentPoint =>
    row.dueDate ? { period: row.period, amount: row.payment, dueDate: row.dueDate } : { period: row.period, amount: row.payment }
  const upfrontFee = terms.upfrontFee ?? 0
  const computed: AgreementComputed = {
    payments,
    totalInterest: schedule.totalInterest,
    totalPaid: schedule.totalPaid,
    aprPct: schedule.aprPct,
    earPct: schedule.earPct,
    regularInstalment: schedule.regularInstalment,
    firstPayment: point(firstPaying),
    lastPayment: point(lastPaying),
    upfrontFee,
    netDisbursed: terms.principal - upfrontFee,
    totalCost: schedule.totalInterest + upfrontFee,
  }
  if (firstDueDate) {
    computed.firstDueDate = firstDueDate
    computed.lastDueDate = lastPaying.dueDate
  }
  return computed
}

export type AgreedFigures =
  | { ok: true; checked: CheckedContent; computed: AgreementComputed; restructuring?: AgreementRestructuring }
  | { ok: false; errors: string[] }

/**
 * Everything an agreement derives from its content: the schedule figures of the effective terms (in a
 * restructuring room the principal is the computed new principal) and, for a restructuring, the breakdown and both
 * sides' comparison. The signer and every verifier run this; errors are validateContent's.
 */
export function agreedFigures(content: RoomContent): AgreedFigures {
  const checked = checkContent(content)
  if (!checked.ok) return { ok: false, errors: checked.errors }
  const { terms, commitments, restructuring } = checked.value
  const computed = computeAgreementFigures(terms, commitments.firstDueDate)
  if (!restructuring) return { ok: true, checked: checked.value, computed }
  const comparison = restructuringComparison({
    baseline: restructuring.baseline,
    breakdown: restructuring.breakdown,
    terms,
    profile: content.profile,
  })
  return { ok: true, checked: checked.value, computed, restructuring: { breakdown: restructuring.breakdown, comparison } }
}
