// One disclosure as a sentence: the key of its text (shared/i18n/agreementText.ts) and its filled-in values, so
// the room and the PDF word a warning the same way, each with its own number formats.
import type { Disclosure } from './disclosures.ts'

export interface DisclosureFormats {
  money: (minor: number) => string
  /** A percent string as shown ("12.00 %"). */
  percent: (pct: string) => string
  date: (isoDate: string) => string
}

export type DisclosureTextKey = `agreement.warning.${Disclosure['code']}`

export function disclosureSentence(d: Disclosure, f: DisclosureFormats): { key: DisclosureTextKey; vars: Record<string, string> } {
  if (d.code === 'apr_above_ceiling') {
    return {
      key: 'agreement.warning.apr_above_ceiling',
      vars: { apr: f.percent(d.aprPct), ceiling: f.percent(d.ceilingPct), multiple: d.ceilingMultiple, lpr: f.percent(d.lprPct), date: f.date(d.contractDate) },
    }
  }
  return { key: 'agreement.warning.upfront_fee', vars: { fee: f.money(d.upfrontFee), apr: f.percent(d.aprPct), without: f.percent(d.aprWithoutFeePct) } }
}
