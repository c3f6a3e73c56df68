// The glossary's "in this proposal" lines: each term explained with the room's own figures, computed with the
// terms engine (the APR without the fee, the ceiling in force today).
import { protectionCeiling, contractDateOf, type DisclosureRules } from '../../../shared/disclosure/disclosures.ts'
import { computeSchedule } from '../../../shared/terms/schedule.ts'
import type { ScheduleResult, Terms } from '../../../shared/terms/types.ts'
import { dateLong, integer, money, percent } from './format.ts'
import type { GlossaryId } from './glossaryTerms.ts'
import { t } from './i18n.svelte.ts'

export type GlossaryFacts = Partial<Record<GlossaryId, string>>

/** A monthly rate from an annual percent string, to 4 decimals ("4.35" → "0.3625"). */
function monthlyPct(annual: string): string {
  return (Number(annual) / 12).toFixed(4)
}

export function glossaryFacts(terms: Terms, result: ScheduleResult, currency: string, rules: DisclosureRules, now = Date.now()): GlossaryFacts {
  const fee = terms.upfrontFee ?? 0
  const m = (v: number) => money(v, currency)
  const apr = percent(result.aprPct)
  const facts: GlossaryFacts = {
    principal: t('glossary.yours.principal', { principal: m(terms.principal) }),
    interest_rate: t('glossary.yours.interest_rate', { rate: percent(terms.annualRatePct), monthly: percent(monthlyPct(terms.annualRatePct), 4) }),
    ear: t('glossary.yours.ear', { apr, ear: percent(result.earPct) }),
    instalment: t('glossary.yours.instalment', { amount: m(result.regularInstalment), n: integer(terms.termMonths) }),
    total_interest: t('glossary.yours.total_interest', { interest: m(result.totalInterest), paid: m(result.totalPaid) }),
  }
  if (fee > 0) {
    const { upfrontFee: _fee, ...withoutFee } = terms
    const without = percent(computeSchedule(withoutFee).aprPct)
    facts.apr = t('glossary.yours.apr.fee', { fee: m(fee), without, apr })
    facts.upfront_fee = t('glossary.yours.upfront_fee', { net: m(terms.principal - fee), principal: m(terms.principal), fee: m(fee), without, apr })
  } else {
    facts.apr = t('glossary.yours.apr.noFee', { apr })
  }
  const grace = terms.method === 'bullet' ? 0 : (terms.graceMonths ?? 0)
  if (grace > 0) facts.grace = t('glossary.yours.grace', { n: integer(grace) })
  const date = contractDateOf(now)
  const ceiling = protectionCeiling(rules, date)
  if (ceiling) {
    facts.protection_ceiling = t('glossary.yours.protection_ceiling', { date: dateLong(date), ceiling: percent(ceiling.ceilingPct), lpr: percent(ceiling.lpr.ratePct), apr })
  }
  return facts
}
