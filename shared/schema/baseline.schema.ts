// The debt being restructured (Y.Map("baseline"), written by the lender only) as a JSON Schema, and its validator.
import type { Baseline } from '../restructuring/baseline.ts'
import { MAX_PRINCIPAL, MAX_TERM_MONTHS, RATE_PCT_PATTERN } from './terms.schema.ts'
import { compileValidator, type Validation } from './validate.ts'

/** At most 100 years past due: anything larger is a typing slip. */
export const MAX_DAYS_PAST_DUE = 36_500

const METHOD = { enum: ['annuity', 'equal_principal', 'interest_only', 'bullet'] } as const
const amount = { type: 'integer', minimum: 0, maximum: MAX_PRINCIPAL, description: 'minor units' } as const

export const baselineSchema = {
  $id: 'https://negotiation-room.local/schema/baseline.json',
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'Debt being restructured (stated by the lender)',
  type: 'object',
  additionalProperties: false,
  required: [
    'outstandingPrincipal',
    'accruedInterest',
    'penaltyInterest',
    'fees',
    'daysPastDue',
    'asOfDate',
    'originalAnnualRatePct',
    'originalRemainingMonths',
  ],
  properties: {
    outstandingPrincipal: { ...amount, minimum: 1 },
    accruedInterest: amount,
    penaltyInterest: amount,
    fees: amount,
    daysPastDue: { type: 'integer', minimum: 0, maximum: MAX_DAYS_PAST_DUE },
    asOfDate: { type: 'string', format: 'date', description: 'YYYY-MM-DD' },
    originalAnnualRatePct: { type: 'string', pattern: RATE_PCT_PATTERN, description: 'percent per year, decimal string' },
    originalMethod: METHOD,
    originalRemainingMonths: { type: 'integer', minimum: 0, maximum: MAX_TERM_MONTHS },
  },
  // The original schedule can only be rebuilt (the borrower's "before") when its method is known.
  if: { properties: { originalRemainingMonths: { type: 'integer', minimum: 1 } }, required: ['originalRemainingMonths'] },
  then: { properties: { originalMethod: METHOD }, required: ['originalMethod'] },
} as const

const messages = {
  '#/properties/originalAnnualRatePct/pattern': 'must be a decimal string from 0 to 100 with at most 4 decimals',
  '#/properties/asOfDate/format': 'must be a date YYYY-MM-DD',
  '#/then/required': 'is required while the original contract has months remaining',
}

/** The new principal is at most this sum (waivers only lower it), so it must fit the terms' limit. */
function checkTotal(b: Baseline): string | null {
  const total = b.outstandingPrincipal + b.accruedInterest + b.penaltyInterest + b.fees
  return total > MAX_PRINCIPAL ? `/: outstanding principal + accrued interest + penalty interest + fees must be <= ${MAX_PRINCIPAL}` : null
}

const validator = compileValidator<Baseline>(baselineSchema, { messages, check: checkTotal, normalize: (b) => ({ ...b }) })

/**
 * {ok: true, value} (a copy) or {ok: false, error: "/field: reason"} for the first problem, paths relative to
 * the baseline ("/fees: must be >= 0"). The server calls this on a baseline given at room creation.
 */
export function validateBaseline(x: unknown): Validation<Baseline> {
  return validator(x)
}
