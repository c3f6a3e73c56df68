// The proposal's fields: what a person types ↔ what the shared document holds, and which field a
// schema error (validateTerms: "/path: reason") belongs to.
import { normalizeDigits, parseMajor, minorToInput } from '../../../shared/format/money.ts'
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
      const r = s.replace(/\s*%$/, '')
      // Kept as the exact decimal string the person typed (the engine parses it exactly).
      return /^\d+(\.\d+)?$/.test(r) ? { ok: true, value: r } : { ok: false, key: 'valid.rate' }
    }
    case 'months': {
      if (!/^\d{1,4}$/.test(s)) return { ok: false, key: 'valid.months' }
      return { ok: true, value: Number(s) }
    }
    case 'days': {
      if (!/^\d{1,6}$/.test(s)) return { ok: false, key: 'valid.days' }
      return { ok: true, value: Number(s) }
    }
  }
}

/** The document's value as input text. */
export function toInput(kind: FieldKind, value: Scalar | undefined, digits: number): string {
  if (value === undefined) return ''
  if (kind === 'amount') return typeof value === 'number' && Number.isSafeInteger(value) ? minorToInput(value, digits) : String(value)
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

/** The calm, translated message for a schema error on a field. */
export function fieldErrorKey(field: TermField): MessageKey {
  return TERM_FIELD_ERROR[field]
}
