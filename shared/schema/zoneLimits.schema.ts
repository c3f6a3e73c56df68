// Each party's private limits for the settlement zone (shared/zone), as JSON Schemas with validators.
import type { BorrowerLimits, LenderLimits } from '../zone/types.ts'
import { MAX_PRINCIPAL, MAX_TERM_MONTHS, RATE_PCT_PATTERN } from './terms.schema.ts'
import { compileValidator, type Validation } from './validate.ts'

const money = (minimum: number) => ({ type: 'integer', minimum, maximum: MAX_PRINCIPAL, description: 'minor units' }) as const
const months = (minimum: number) => ({ type: 'integer', minimum, maximum: MAX_TERM_MONTHS }) as const
const rate = { type: 'string', pattern: RATE_PCT_PATTERN, description: 'percent per year, decimal string' } as const

export const borrowerLimitsSchema = {
  $id: 'https://negotiation-room.local/schema/borrower-limits.json',
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: "The borrower's private limits",
  type: 'object',
  additionalProperties: false,
  required: ['maxMonthly', 'maxTermMonths'],
  properties: { maxMonthly: money(1), maxTermMonths: months(1), oneOffNow: money(0) },
} as const

export const lenderLimitsSchema = {
  $id: 'https://negotiation-room.local/schema/lender-limits.json',
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: "The lender's private limits",
  type: 'object',
  additionalProperties: false,
  required: ['minRecovery', 'discountRatePct', 'maxTermMonths', 'minRatePct', 'maxGraceMonths'],
  properties: {
    minRecovery: money(0),
    discountRatePct: rate,
    maxTermMonths: months(1),
    minRatePct: rate,
    maxGraceMonths: { type: 'integer', minimum: 0, maximum: MAX_TERM_MONTHS - 1 },
  },
} as const

const messages = {
  '#/properties/discountRatePct/pattern': 'must be a decimal string from 0 to 100 with at most 4 decimals',
  '#/properties/minRatePct/pattern': 'must be a decimal string from 0 to 100 with at most 4 decimals',
}

const borrower = compileValidator<BorrowerLimits>(borrowerLimitsSchema, { normalize: (x) => ({ ...x }) })
const lender = compileValidator<LenderLimits>(lenderLimitsSchema, { messages, normalize: (x) => ({ ...x }) })

/** {ok: true, value} (a copy) or {ok: false, error: "/field: reason"}. */
export function validateBorrowerLimits(x: unknown): Validation<BorrowerLimits> {
  return borrower(x)
}

/** {ok: true, value} (a copy) or {ok: false, error: "/field: reason"}. */
export function validateLenderLimits(x: unknown): Validation<LenderLimits> {
  return lender(x)
}
