// What the lender gives up (Y.Map("waivers")): an amount and a reason per category, checked against the baseline.
import type { Baseline } from '../restructuring/baseline.ts'
import { reasonKey, WAIVER_CATEGORIES, waiversAgainstBaseline, type Waivers } from '../restructuring/waivers.ts'
import { MAX_PRINCIPAL } from './terms.schema.ts'
import { compileValidator, type Validation } from './validate.ts'

/** Longest reason kept (a sentence or two; longer explanations belong in the clauses). */
export const MAX_REASON_LENGTH = 500

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
