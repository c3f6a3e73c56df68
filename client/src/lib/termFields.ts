// The proposal's fields: what a person types ↔ what the shared document holds, and which field a
// schema error (validateTerms: "/path: reason") belongs to.
import { groupThousands, normalizeDigits, parseMajor, minorToInput } from '../../../shared/format/money.ts'
import { MAX_PRINCIPAL, MAX_RATE_PCT, MAX_TERM_MONTHS, RATE_MAX_DECIMALS } from '../../../shared/schema/terms.schema.ts'
import type { MessageKey } from '../i18n/index.ts'
import type { Scalar } from '../../../shared/document/roomDoc.ts'
import { TERM_FIELD_ERROR } from '../i18n/labels.ts'

export const TERM_FIELDS = ['principal', 'annualRatePct', 'termMonths', 'method', 'graceMonths', 'graceInterest', 'upfrontFee'] as const
export type TermField = (typeof TERM_FIELDS)[number]

export const METHODS = ['annuity', 'equal_principal', 'interest_only', 'bullet'] as const
export const GRACE_INTEREST = ['capitalize', 'pay'] as const

export const PROFILE_FIELDS = ['monthlyIncome', 'monthlyExpenses', 'otherDebtPayments', 'assets', 'liabilities'] as const
export type ProfileField = (typeof PROFILE_FIELDS)[number]

/** 'days': a whole number of days (days past due). */
export type FieldKind = 'amount' | 'rate' | 'months' | 'days'

export type Parsed = { ok: true; value: Scalar } | { ok: false; key: MessageKey; params?: Record<string, string | number> }

/** Text typed in an input → the value stored in the document, or why it cannot be read yet. */
export function parseInput(kind: FieldKind, text: string, digits: number): Parsed {
  const s = normalizeDigits(text).trim()
  if (s === '') return { ok: false, key: 'valid.required' }
  switch (kind) {
    case 'amount': {
      const r = parseMajor(s, digits)
      if (r.ok) return { ok: true, value: r.value }
      if (r.reason === 'decimals') return { ok: false, key: 'valid.decimals', params: { digits } }
      if (r.reason === 'too_large') return { ok: false, key: 'valid.tooLarge' }
      return { ok: false, key: 'valid.amount' }
    }
    case 'rate': {
      // Kept as the exact decimal string typed, less leading zeros (the engine parses it exactly).
      const m = /^(\d+)(?:\.(\d+))?$/.exec(s.replace(/\s*%$/, ''))
      if (!m) return { ok: false, key: 'valid.rate' }
      const whole = m[1]!.replace(/^0+(?=\d)/, '')
      const frac = m[2]
      if (frac !== undefined && frac.length > RATE_MAX_DECIMALS) return { ok: false, key: 'valid.rateDecimals', params: { digits: RATE_MAX_DECIMALS } }
      // A comparison only: the value itself stays the string.
      if (Number(whole) > MAX_RATE_PCT || (Number(whole) === MAX_RATE_PCT && /[1-9]/.test(frac ?? ''))) {
        return { ok: false, key: 'valid.rateMax', params: { max: MAX_RATE_PCT } }
      }
      return { ok: true, value: frac === undefined ? whole : `${whole}.${frac}` }
    }
    case 'months': {
      if (!/^\d+$/.test(s)) return { ok: false, key: 'valid.months' }
      if (Number(s) > MAX_TERM_MONTHS) return { ok: false, key: 'valid.monthsMax', params: { max: MAX_TERM_MONTHS } }
      return { ok: true, value: Number(s) }
    }
    case 'days': {
      if (!/^\d{1,6}$/.test(s)) return { ok: false, key: 'valid.days' }
      return { ok: true, value: Number(s) }
    }
  }
}

/** The document's value as input text; amounts in groups of three ("150,000"), which parseInput reads back. */
export function toInput(kind: FieldKind, value: Scalar | undefined, digits: number): string {
  if (value === undefined) return ''
  if (kind === 'amount') return typeof value === 'number' && Number.isSafeInteger(value) ? groupThousands(minorToInput(value, digits)) : String(value)
  return String(value)
}

export interface SchemaError {
  /** The terms field the error is about, or null when it is about the whole object. */
  field: TermField | null
  reason: string
}

/** "/graceMonths: must be less than termMonths" → {field: 'graceMonths', reason}. Accepts other shapes too. */
export function schemaError(error: unknown): SchemaError {
  const first = Array.isArray(error) ? error[0] : error
  const text = typeof first === 'string' ? first : first && typeof first === 'object' ? String((first as { message?: unknown }).message ?? JSON.stringify(first)) : String(first)
  // Content paths ("/terms/graceMonths: …") name the terms field after the section.
  const m = /^(?:\/terms)?\/?([A-Za-z]+)?[^:]*:\s*(.*)$/s.exec(text)
  if (/^\/(baseline|waivers|commitments)\b/.test(text)) return { field: null, reason: text }
  const path = m?.[1] ?? ''
  const reason = m?.[2] ?? text
  if ((TERM_FIELDS as readonly string[]).includes(path)) return { field: path as TermField, reason }
  // "must have required property 'termMonths'" at the root
  const missing = /property '([A-Za-z]+)'/.exec(reason)?.[1]
  if (missing && (TERM_FIELDS as readonly string[]).includes(missing)) return { field: missing as TermField, reason }
  return { field: null, reason }
}

export interface FieldMessage {
  key: MessageKey
  params?: Record<string, string | number>
}

/** Why the schema refuses `field` of `terms`, naming the limit it breaks when there is one. */
export function fieldError(field: TermField, terms: Readonly<Record<string, Scalar | undefined>>, digits: number): FieldMessage {
  const v = terms[field]
  if (field === 'principal' && typeof v === 'number' && v > MAX_PRINCIPAL) return { key: 'valid.principalMax', params: { max: toInput('amount', MAX_PRINCIPAL, digits) } }
  if (field === 'termMonths' && typeof v === 'number' && v > MAX_TERM_MONTHS) return { key: 'valid.monthsMax', params: { max: MAX_TERM_MONTHS } }
  if (field === 'annualRatePct' && typeof v === 'string') {
    const read = parseInput('rate', v, digits)
    if (!read.ok) return read.params ? { key: read.key, params: read.params } : { key: read.key }
  }
  return { key: TERM_FIELD_ERROR[field] }
}
