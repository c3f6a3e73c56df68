// The query parameters of GET /api/rooms/:id/export/fineract (strings, as URLs carry them), and their typed form.
import type { FineractOptions } from './fineract/fineractTypes.ts'
import { compileValidator, type Validation } from '../../shared/schema/validate.ts'

const idParam = { type: 'string', pattern: '^[1-9][0-9]{0,14}$', description: 'a Fineract id' } as const

export const fineractQuerySchema = {
  $id: 'https://negotiation-room.local/schema/fineract-export-query.json',
  $schema: 'http://json-schema.org/draft-07/schema#',
  type: 'object',
  additionalProperties: false,
  properties: {
    clientId: idParam,
    productId: idParam,
    loanId: idParam,
    rescheduleReasonId: idParam,
    feeChargeId: idParam,
    rescheduleFromDate: { type: 'string', format: 'date' },
    as: { enum: ['loan', 'reschedule'] },
    part: { enum: ['body', 'all'], description: 'body: only the request body, the notes in the X-Export-Notes header' },
  },
} as const

export interface FineractQuery {
  options: FineractOptions
  part: 'body' | 'all'
}

type RawQuery = Partial<Record<'clientId' | 'productId' | 'loanId' | 'rescheduleReasonId' | 'feeChargeId' | 'rescheduleFromDate', string>> & {
  as?: 'loan' | 'reschedule'
  part?: 'body' | 'all'
}

const validator = compileValidator<RawQuery>(fineractQuerySchema)

const ID_KEYS = ['clientId', 'productId', 'loanId', 'rescheduleReasonId', 'feeChargeId'] as const

export function parseFineractQuery(query: unknown): Validation<FineractQuery> {
  const checked = validator(query)
  if (!checked.ok) return checked
  const q = checked.value
  const options: FineractOptions = {}
  for (const key of ID_KEYS) {
    const value = q[key]
    if (value !== undefined) options[key] = Number(value)
  }
  if (q.rescheduleFromDate !== undefined) options.rescheduleFromDate = q.rescheduleFromDate
  if (q.as !== undefined) options.as = q.as
  return { ok: true, value: { options, part: q.part ?? 'all' } }
}
