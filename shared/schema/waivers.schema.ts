// What the lender gives up (Y.Map("waivers")): an amount and a reason per category, checked against the baseline.
import type { Minor } from '../terms/types.ts'
import type { Baseline } from './baseline.schema.ts'
import { MAX_PRINCIPAL } from './terms.schema.ts'
import { compileValidator, type Validation } from './validate.ts'

/** The categories of the baseline that can be waived, in display order. Principal is never waived here. */
export const WAIVER_CATEGORIES = ['accruedInterest', 'penaltyInterest', 'fees'] as const
export type WaiverCategory = (typeof WAIVER_CATEGORIES)[number]

/** The reason key of a category: "fees" → "feesReason". */
export function reasonKey(category: WaiverCategory): `${WaiverCategory}Reason` {
  return `${category}Reason`
}

/** Longest reason kept (a sentence or two; longer explanations belong in the clauses). */
export const MAX_REASON_LENGTH = 500

export interface Waivers {
  accruedInterest?: Minor
  penaltyInterest?: Minor
  fees?: Minor
  accruedInterestReason?: string
  penaltyInterestReason?: string
  feesReason?: string
}

const amount = { type: 'integer', minimum: 0, maximum: MAX_PRINCIPAL, description: 'minor units' } as const
const reason = { type: 'string', maxLength: MAX_REASON_LENGTH } as const

export const waiversSchema = {
  $id: 'https://negotiation-room.local/schema/waivers.json',
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'Waivers granted by the lender',
  type: 'object',
  additionalProperties: false,
  properties: {
    accruedInterest: amount,
    penaltyInterest: amount,
    fees: amount,
    accruedInterestReason: reason,
    penaltyInterestReason: reason,
    feesReason: reason,
  },
} as const

/** A waiver is written down with its reason: an amount above 0 needs a non-blank reason. */
function checkReasons(w: Waivers): string | null {
  for (const category of WAIVER_CATEGORIES) {
    const key = reasonKey(category)
    if ((w[category] ?? 0) > 0 && (w[key] ?? '').trim() === '') return `/${key}: is required when ${category} is waived`
  }
  return null
}

const validator = compileValidator<Waivers>(waiversSchema, { check: checkReasons, normalize: (w) => ({ ...w }) })

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

/**
 * {ok: true, value} or {ok: false, error: "/field: reason"} (paths relative to the waivers): the shape, a reason
 * for every amount, and, when `baseline` is given (undefined skips it), no waiver above its category.
 */
export function validateWaivers(x: unknown, baseline?: Baseline | null): Validation<Waivers> {
  const r = validator(x)
  if (!r.ok || baseline === undefined) return r
  const over = waiversAgainstBaseline(r.value, baseline)
  return over.length > 0 ? { ok: false, error: over[0]! } : r
}
