// What changed in the terms since the reader last confirmed or reviewed them, as before → after lines with
// figures in the chosen language: each changed term, then the instalment and the APR they lead to
// (compared by the terms engine, so the figures are the ones the results panel shows).
import { compareResults } from '../../../shared/terms/index.ts'
import type { ScheduleResult, Terms } from '../../../shared/terms/types.ts'
import { GRACE_INTEREST_LABEL, METHOD_LABEL, TERM_FIELD_LABEL } from '../i18n/labels.ts'
import { integer, money, percent } from '../lib/format.ts'
import { t } from '../lib/i18n.svelte.ts'
import { TERM_FIELDS, type TermField } from '../lib/termFields.ts'

/** Terms as they were on screen, with what they computed to. */
export interface TermsSnapshot {
  terms: Terms
  result: ScheduleResult
}

export interface FigureChange {
  key: TermField | 'instalment' | 'apr'
  label: string
  before: string
  after: string
}

/** The terms with their defaults filled in, so an absent fee and a fee of 0 are the same term. */
function effective(terms: Terms): Required<Terms> {
  return { graceMonths: 0, graceInterest: 'capitalize', upfrontFee: 0, ...terms }
}

/** A rate as typed ("4.35", "4.3525"): at least two decimals, never fewer than it was given with. */
function ratePct(s: string): string {
  const decimals = s.split('.')[1]?.length ?? 0
  return percent(s, Math.max(2, decimals))
}

function showTerm(field: TermField, terms: Required<Terms>, currency: string): string {
  switch (field) {
    case 'principal':
    case 'upfrontFee':
      return money(terms[field], currency)
    case 'annualRatePct':
      return ratePct(terms.annualRatePct)
    case 'termMonths':
    case 'graceMonths':
      return integer(terms[field])
    case 'method':
      return t(METHOD_LABEL[terms.method])
    case 'graceInterest':
      return t(GRACE_INTEREST_LABEL[terms.graceInterest])
  }
}

function sameTerm(field: TermField, a: Required<Terms>, b: Required<Terms>): boolean {
  return field === 'annualRatePct' ? Number(a.annualRatePct) === Number(b.annualRatePct) : a[field] === b[field]
}

export function changesSince(before: TermsSnapshot, after: TermsSnapshot, currency: string): FigureChange[] {
  const a = effective(before.terms)
  const b = effective(after.terms)
  const out: FigureChange[] = []
  for (const field of TERM_FIELDS) {
    if (sameTerm(field, a, b)) continue
    out.push({ key: field, label: t(TERM_FIELD_LABEL[field]), before: showTerm(field, a, currency), after: showTerm(field, b, currency) })
  }
  const cmp = compareResults(before.result, after.result)
  if (cmp.change.regularInstalment !== 0) {
    out.push({
      key: 'instalment',
      label: t('compare.instalment'),
      before: money(cmp.original.regularInstalment, currency),
      after: money(cmp.proposal.regularInstalment, currency),
    })
  }
  if (Number(cmp.change.aprPct) !== 0) {
    out.push({ key: 'apr', label: t('review.since.apr'), before: percent(cmp.original.aprPct), after: percent(cmp.proposal.aprPct) })
  }
  return out
}
