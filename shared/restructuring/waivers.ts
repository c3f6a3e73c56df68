// What the lender gives up: an amount and a reason per category of the baseline, never more than the category.
import type { Minor } from '../terms/types.ts'
import type { Baseline } from './baseline.ts'

/** The categories of the baseline that can be waived, in display order. Principal is never waived here. */
export const WAIVER_CATEGORIES = ['accruedInterest', 'penaltyInterest', 'fees'] as const
export type WaiverCategory = (typeof WAIVER_CATEGORIES)[number]

/** The reason key of a category: "fees" → "feesReason". */
export function reasonKey(category: WaiverCategory): `${WaiverCategory}Reason` {
  return `${category}Reason`
}

export interface Waivers {
  accruedInterest?: Minor
  penaltyInterest?: Minor
  fees?: Minor
  accruedInterestReason?: string
  penaltyInterestReason?: string
  feesReason?: string
}

/** The waiver of `category` in minor units (0 when none). */
export function waived(w: Waivers, category: WaiverCategory): Minor {
  return w[category] ?? 0
}

/**
 * Every waiver larger than its category of the baseline, as "/<category>: must be <= the baseline <category> (<amount>)"
 * (paths relative to the waivers). Without a baseline no waiver above 0 is possible.
 */
export function waiversAgainstBaseline(w: Waivers, baseline: Baseline | null): string[] {
  const errors: string[] = []
  for (const category of WAIVER_CATEGORIES) {
    const amount = waived(w, category)
    if (amount === 0) continue
    if (baseline === null) errors.push(`/${category}: needs a baseline: the lender states the debt before anything is waived`)
    else if (amount > baseline[category]) errors.push(`/${category}: must be <= the baseline ${category} (${baseline[category]})`)
  }
  return errors
}
