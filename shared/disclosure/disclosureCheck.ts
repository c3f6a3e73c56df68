// What a verifier can check of an agreement's recorded disclosures without the server's LPR table: each agrees
// with the agreed terms (the APR, the fee, the APR without the fee) and with itself (ceiling = multiple × LPR,
// APR above it). Whether the table was right on that date is a fact outside the record.
import { isObject } from '../schema/isObject.ts'
import { computeSchedule } from '../terms/schedule.ts'
import type { Terms } from '../terms/types.ts'
import { exceeds, timesPct } from './disclosures.ts'

/** Problems with `recorded` (the agreement's `disclosures`, if any) for these agreed terms and their APR. */
export function disclosureProblems(recorded: unknown, terms: Terms, aprPct: string): string[] {
  if (recorded === undefined) return []
  if (!Array.isArray(recorded)) return ['disclosures is not a list']
  const out: string[] = []
  recorded.forEach((d, i) => {
    const at = `disclosures[${i}]`
    if (!isObject(d)) {
      out.push(`${at} is not an object`)
      return
    }
    const str = (k: string) => (typeof d[k] === 'string' ? (d[k] as string) : null)
    if (d['code'] === 'apr_above_ceiling') {
      const ceiling = str('ceilingPct')
      const lpr = str('lprPct')
      const multiple = str('ceilingMultiple')
      if (d['aprPct'] !== aprPct) out.push(`${at}.aprPct is not the agreed APR ${aprPct}`)
      try {
        if (ceiling === null || lpr === null || multiple === null || timesPct(lpr, multiple) !== ceiling) out.push(`${at}.ceilingPct is not ceilingMultiple × lprPct`)
        else if (!exceeds(aprPct, ceiling)) out.push(`${at}: the APR is not above the ceiling`)
      } catch {
        out.push(`${at} has a rate that is not a decimal percent`)
      }
      for (const k of ['contractDate', 'lprEffective']) if (!/^\d{4}-\d{2}-\d{2}$/.test(str(k) ?? '')) out.push(`${at}.${k} is not a date`)
    } else if (d['code'] === 'upfront_fee') {
      const fee = terms.upfrontFee ?? 0
      if (d['upfrontFee'] !== fee || fee <= 0) out.push(`${at}.upfrontFee is not the agreed fee`)
      if (d['aprPct'] !== aprPct) out.push(`${at}.aprPct is not the agreed APR ${aprPct}`)
      const { upfrontFee: _fee, ...withoutFee } = terms
      const without = computeSchedule(withoutFee).aprPct
      if (d['aprWithoutFeePct'] !== without) out.push(`${at}.aprWithoutFeePct is not the APR without the fee (${without})`)
    } else {
      out.push(`${at}.code ${JSON.stringify(d['code'])} is not a known disclosure`)
    }
  })
  return out
}
