// The lobby's terms inputs as text, turned into a terms object checked by the shared schema.
import type { Scalar } from '../../../shared/document/roomDoc.ts'
import { validateTerms } from '../../../shared/schema/terms.schema.ts'
import type { Terms } from '../../../shared/terms/types.ts'
import { fieldError, parseInput, schemaError, type TermField } from '../lib/termFields.ts'
import type { MessageKey } from '../i18n/index.ts'

export interface TermsDraft {
  principal: string
  annualRatePct: string
  termMonths: string
  method: string
  graceMonths: string
  graceInterest: string
  upfrontFee: string
}

export function emptyDraft(): TermsDraft {
  return { principal: '', annualRatePct: '', termMonths: '', method: 'annuity', graceMonths: '0', graceInterest: 'capitalize', upfrontFee: '0' }
}

export type FieldErrors = Partial<Record<TermField, { key: MessageKey; params?: Record<string, string | number> }>>

export type DraftCheck = { ok: true; terms: Terms } | { ok: false; errors: FieldErrors }

/**
 * `computedPrincipal`: in a restructuring room the principal is not typed but computed from the debt; the
 * other terms are checked against it (the fee below it) and the caller leaves it out of the request.
 */
export function checkDraft(d: TermsDraft, digits: number, computedPrincipal?: number): DraftCheck {
  const errors: FieldErrors = {}
  const out: Record<string, Scalar> = { method: d.method }
  if (computedPrincipal !== undefined) out.principal = computedPrincipal
  const typed: [TermField, 'amount' | 'rate' | 'months', string][] = [
    ...(computedPrincipal === undefined ? [['principal', 'amount', d.principal] as [TermField, 'amount', string]] : []),
    ['annualRatePct', 'rate', d.annualRatePct],
    ['termMonths', 'months', d.termMonths],
    ['graceMonths', 'months', d.graceMonths || '0'],
    ['upfrontFee', 'amount', d.upfrontFee || '0'],
  ]
  for (const [field, kind, text] of typed) {
    const p = parseInput(kind, text, digits)
    if (p.ok) out[field] = p.value
    else errors[field] = p.params ? { key: p.key, params: p.params } : { key: p.key }
  }
  if (d.method === 'bullet') out.graceMonths = 0
  if ((out.graceMonths as number) > 0) out.graceInterest = d.graceInterest
  if (Object.keys(errors).length) return { ok: false, errors }
  const checked = validateTerms(out)
  if (checked.ok) return { ok: true, terms: checked.value }
  const e = schemaError(checked.error)
  return { ok: false, errors: { [e.field ?? 'principal']: e.field ? fieldError(e.field, out, digits) : { key: 'valid.other', params: { reason: e.reason } } } }
}
