// The terms object of DESIGN.md as a JSON Schema, and its validator (runs in browser and server).
import { monthlyRate, parseRate } from '../terms/rate.ts'
import { SAFE_RANGE_REASON, termsFitSafeRange } from '../terms/safeRange.ts'
import type { Terms } from '../terms/types.ts'
import { compileValidator, type Validation } from './validate.ts'

export const MAX_PRINCIPAL = 10_000_000_000_000
export const MAX_TERM_MONTHS = 600
/** A yearly rate in percent is at most this, written with at most RATE_MAX_DECIMALS decimals. */
export const MAX_RATE_PCT = 100
export const RATE_MAX_DECIMALS = 4

/** 0 … 100 with at most 4 decimals and no leading zeros: "0", "4.35", "99.9999", "100", "100.0000". */
export const RATE_PCT_PATTERN = `^(?:${MAX_RATE_PCT}(?:\\.0{1,${RATE_MAX_DECIMALS}})?|[1-9]?[0-9](?:\\.[0-9]{1,${RATE_MAX_DECIMALS}})?)$`

export const termsSchema = {
  $id: 'https://negotiation-room.local/schema/terms.json',
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'Loan terms',
  type: 'object',
  additionalProperties: false,
  required: ['principal', 'annualRatePct', 'termMonths', 'method'],
  properties: {
    principal: { type: 'integer', minimum: 1, maximum: MAX_PRINCIPAL, description: 'minor units' },
    annualRatePct: { type: 'string', pattern: RATE_PCT_PATTERN, description: 'percent per year, decimal string' },
    termMonths: { type: 'integer', minimum: 1, maximum: MAX_TERM_MONTHS },
    method: { enum: ['annuity', 'equal_principal', 'interest_only', 'bullet'] },
    graceMonths: { type: 'integer', minimum: 0, exclusiveMaximum: { $data: '1/termMonths' } },
    graceInterest: { enum: ['capitalize', 'pay'], description: "defaults to 'capitalize' when graceMonths > 0" },
    upfrontFee: { type: 'integer', minimum: 0, exclusiveMaximum: { $data: '1/principal' }, description: 'minor units' },
  },
  // A bullet loan has no grace period (DESIGN.md).
  if: { properties: { method: { const: 'bullet' } }, required: ['method'] },
  then: { properties: { graceMonths: { const: 0 } } },
} as const

const messages = {
  '#/properties/annualRatePct/pattern': 'must be a decimal string from 0 to 100 with at most 4 decimals',
  '#/properties/graceMonths/exclusiveMaximum': 'must be < termMonths',
  '#/properties/upfrontFee/exclusiveMaximum': 'must be < principal',
  '#/then/properties/graceMonths/const': 'must be 0 with method bullet',
}

/** Capitalizing grace interest at high rates can outgrow exact JS integers: refused here, not mis-computed later. */
function checkSafeRange(terms: Terms): string | null {
  const grace = terms.graceMonths ?? 0
  if (grace === 0) return null
  const rate = monthlyRate(parseRate(terms.annualRatePct))
  const fits = termsFitSafeRange(terms.principal, rate, terms.termMonths, grace, terms.graceInterest ?? 'capitalize')
  return fits ? null : `/graceMonths: ${SAFE_RANGE_REASON}`
}

/** A copy, with graceInterest 'capitalize' filled in when there is a grace period; the input is left untouched. */
function withDefaults(terms: Terms): Terms {
  const copy = { ...terms }
  if ((copy.graceMonths ?? 0) > 0 && copy.graceInterest === undefined) copy.graceInterest = 'capitalize'
  return copy
}

const validator = compileValidator<Terms>(termsSchema, { messages, check: checkSafeRange, normalize: withDefaults })

/** {ok: true, value} with defaults filled in, or {ok: false, error: "/field: reason"} for the first problem. */
export function validateTerms(x: unknown): Validation<Terms> {
  return validator(x)
}
