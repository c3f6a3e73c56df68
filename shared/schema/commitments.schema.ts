// What each side promises beside the numbers (Y.Map("commitments")), as structured terms with a JSON Schema.
import { MAX_TERM_MONTHS } from './terms.schema.ts'
import { compileValidator, type Validation } from './validate.ts'

/**
 * How the lender reports the loan to the credit bureau once the plan is agreed (explained to both sides in
 * shared/i18n/agreementText.ts, `agreement.creditReporting.*`):
 * - restructured_current: reported as restructured and up to date while every payment is on time
 *   (earlier late records stay as they were reported: true records are not erased);
 * - restructured_flagged: reported as restructured and still marked as a past-due / concession loan until repaid;
 * - no_change: not reported as restructured; the lender reports the account as it would without this plan.
 */
export const CREDIT_REPORTING = ['restructured_current', 'restructured_flagged', 'no_change'] as const
export type CreditReporting = (typeof CREDIT_REPORTING)[number]

/** Every key of the commitments map, in display order. */
export const COMMITMENT_KEYS = [
  'firstDueDate',
  'noCollectionCalls',
  'noHomeVisits',
  'creditReporting',
  'missedPaymentsBeforeLapse',
  'lapseRestoresBaseline',
] as const

export interface Commitments {
  /** YYYY-MM-DD on which period 1 falls due: the room's one first due date (schedule dates, comparison). */
  firstDueDate?: string
  /** The lender makes no collection calls while the plan is honoured. */
  noCollectionCalls?: boolean
  /** The lender makes no home visits while the plan is honoured. */
  noHomeVisits?: boolean
  creditReporting?: CreditReporting
  /** After this many consecutive missed payments the plan lapses (N ≥ 1). Comes with lapseRestoresBaseline. */
  missedPaymentsBeforeLapse?: number
  /** On lapse: true = the waivers are cancelled and the baseline is restored (less what was paid); false = kept. */
  lapseRestoresBaseline?: boolean
}

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
