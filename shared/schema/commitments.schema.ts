// What each side promises beside the numbers (Y.Map("commitments")), as structured terms with a JSON Schema.
import { CREDIT_REPORTING, type Commitments } from '../restructuring/commitments.ts'
import { MAX_TERM_MONTHS } from './terms.schema.ts'
import { compileValidator, type Validation } from './validate.ts'

export const commitmentsSchema = {
  $id: 'https://negotiation-room.local/schema/commitments.json',
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'Commitments of the parties',
  type: 'object',
  additionalProperties: false,
  properties: {
    firstDueDate: { type: 'string', format: 'date', description: 'YYYY-MM-DD' },
    noCollectionCalls: { type: 'boolean' },
    noHomeVisits: { type: 'boolean' },
    creditReporting: { enum: [...CREDIT_REPORTING] },
    missedPaymentsBeforeLapse: { type: 'integer', minimum: 1, maximum: MAX_TERM_MONTHS },
    lapseRestoresBaseline: { type: 'boolean' },
  },
} as const

const messages = { '#/properties/firstDueDate/format': 'must be a date YYYY-MM-DD' }

/** The lapse rule is one term: how many missed payments, and what happens then. */
function checkLapse(c: Commitments): string | null {
  const n = c.missedPaymentsBeforeLapse !== undefined
  const restores = c.lapseRestoresBaseline !== undefined
  if (n && !restores) return '/lapseRestoresBaseline: is required with missedPaymentsBeforeLapse'
  if (restores && !n) return '/missedPaymentsBeforeLapse: is required with lapseRestoresBaseline'
  return null
}

const validator = compileValidator<Commitments>(commitmentsSchema, { messages, check: checkLapse, normalize: (c) => ({ ...c }) })

/** {ok: true, value} (a copy) or {ok: false, error: "/field: reason"}, paths relative to the commitments. */
export function validateCommitments(x: unknown): Validation<Commitments> {
  return validator(x)
}
