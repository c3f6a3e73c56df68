// Every term in plain sentences, for the review before confirming.
import { t } from '../lib/i18n.svelte.ts'
import { money, rate, integer, dateLong } from '../lib/format.ts'
import { dueDate } from '../../../shared/terms/index.ts'
import type { ScheduleResult, Terms } from '../../../shared/terms/types.ts'

export function termSentences(terms: Terms, result: ScheduleResult, currency: string, firstDueDate: string | null): string[] {
  const m = (v: number) => money(v, currency)
  const rows = result.payments
  const last = rows[rows.length - 1]
  const fee = terms.upfrontFee ?? 0
  const grace = terms.method === 'bullet' ? 0 : (terms.graceMonths ?? 0)
  const out: string[] = [t('review.principal', { amount: m(terms.principal) })]
  out.push(fee > 0 ? t('review.fee', { fee: m(fee), net: m(terms.principal - fee) }) : t('review.noFee'))
  out.push(t('review.rate', { rate: terms.annualRatePct }))
  out.push(t('review.term', { n: integer(terms.termMonths), method: t(`method.${terms.method}`) }))
  if (grace > 0) {
    out.push(t(terms.graceInterest === 'pay' ? 'review.gracePay' : 'review.graceCap', { n: integer(grace) }))
  }
  const lastAmount = last ? m(last.payment) : ''
  switch (terms.method) {
    case 'annuity':
      out.push(t('review.annuity', { amount: m(result.regularInstalment) }))
      break
    case 'equal_principal':
      out.push(t('review.equalPrincipal', { amount: m(result.regularInstalment), last: lastAmount }))
      break
    case 'interest_only':
      out.push(t('review.interestOnly', { amount: m(result.regularInstalment), last: lastAmount }))
      break
    case 'bullet':
      out.push(t('review.bullet', { last: lastAmount, n: integer(last?.period ?? terms.termMonths) }))
      break
  }
  out.push(t('review.totals', { paid: m(result.totalPaid), interest: m(result.totalInterest) }))
  out.push(t('review.apr', { apr: rate(result.aprPct), ear: rate(result.earPct) }))
  if (firstDueDate && last) {
    try {
      out.push(t('review.lastDate', { date: dateLong(dueDate(firstDueDate, last.period)) }))
    } catch {
      /* no date */
    }
  }
  return out
}
