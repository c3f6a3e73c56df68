// Restructuring inputs — the debt (Y.Map('baseline')), the waivers (Y.Map('waivers')) and the commitments
// (Y.Map('commitments')): what a person types ↔ what the shared maps hold, which change may be written, and
// which field a content error ("/waivers/fees: must be <= the baseline fees (1000)") is shown beside.
import type { Scalar, ScalarMap } from '../../../shared/document/roomDoc.ts'
import type { MessageKey } from '../i18n/index.ts'
import { BASELINE_AMOUNT_KEYS, BASELINE_KEYS, type Baseline } from '../../../shared/restructuring/baseline.ts'
import { validateBaseline } from '../../../shared/schema/baseline.schema.ts'
import { reasonKey, WAIVER_CATEGORIES, type WaiverCategory } from '../../../shared/restructuring/waivers.ts'
import { parseInput, type FieldKind } from './termFields.ts'
import { BASELINE_FIELD_LABEL, labelKey, WAIVER_LABEL } from '../i18n/labels.ts'

export type BaselineKey = (typeof BASELINE_KEYS)[number]

/** How each baseline value is typed: money, a count of days, a date, a rate, a choice of method, months. */
export const BASELINE_KINDS: Readonly<Record<BaselineKey, FieldKind | 'date' | 'method'>> = {
  outstandingPrincipal: 'amount',
  accruedInterest: 'amount',
  penaltyInterest: 'amount',
  fees: 'amount',
  daysPastDue: 'days',
  asOfDate: 'date',
  originalAnnualRatePct: 'rate',
  originalMethod: 'method',
  originalRemainingMonths: 'months',
}

/** A translated message, once placed: the key and its parameters (money and dates already formatted). */
export interface FieldMessage {
  key: MessageKey
  params?: Record<string, string | number>
}

export type Parsed = { ok: true; value: Scalar } | { ok: false; message: FieldMessage }

/** A date typed or picked as YYYY-MM-DD that exists on the calendar. */
export function parseDate(text: string): Parsed {
  const s = text.trim()
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s)
  if (!m) return { ok: false, message: { key: s === '' ? 'valid.required' : 'valid.date' } }
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])))
  const same = d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3])
  return same ? { ok: true, value: s } : { ok: false, message: { key: 'valid.date' } }
}

/** Text of one typed field → the value the shared map holds (amounts in minor units, rates as typed). */
export function parseField(kind: FieldKind | 'date', text: string, digits: number): Parsed {
  if (kind === 'date') return parseDate(text)
  const p = parseInput(kind, text, digits)
  return p.ok ? p : { ok: false, message: p.params ? { key: p.key, params: p.params } : { key: p.key } }
}

/** The map with `patch` applied (undefined deletes a key), as the next shared value would be. */
export function applyPatch(map: ScalarMap, patch: Record<string, Scalar | undefined>): ScalarMap {
  const out: ScalarMap = { ...map }
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined) delete out[k]
    else out[k] = v
  }
  return out
}

/** "/fees: must be >= 0" → {path: 'fees', reason}; "/: …" → {path: '', reason}. */
function splitError(error: string): { path: string; reason: string } {
  const at = error.indexOf(': ')
  const path = at === -1 ? '' : error.slice(0, at).replace(/^\//, '')
  return { path, reason: at === -1 ? error : error.slice(at + 2) }
}

/**
 * Whether the lender's change of one baseline field may be written: refused only when the baseline schema
 * objects to that very field (or, for an amount, to the total). Problems elsewhere show beside their fields.
 */
export function baselineFieldProblem(baseline: ScalarMap, field: BaselineKey, value: Scalar): FieldMessage | null {
  const r = validateBaseline(applyPatch(baseline, { [field]: value }))
  if (r.ok) return null
  const { path, reason } = splitError(r.error)
  const isAmount = (BASELINE_AMOUNT_KEYS as readonly string[]).includes(field)
  if (path === field || (path === '' && isAmount)) return reasonMessage(`baseline/${field}`, reason)
  return null
}

/** The stated baseline when it is complete and valid (a waiver is checked against it), else null. */
export function validBaseline(baseline: ScalarMap): Baseline | null {
  const r = validateBaseline(baseline)
  return r.ok ? r.value : null
}

/** Refused when the waiver is larger than what is owed in its category (never written: the other side sees no such value). */
export function waiverAmountProblem(baseline: Baseline | null, category: WaiverCategory, amount: number, money: (minor: number) => string): FieldMessage | null {
  if (baseline === null || amount <= baseline[category]) return null
  return { key: 'valid.waiverTooLarge', params: { amount: money(baseline[category]) } }
}

export interface Formatters {
  money: (minor: number) => string
  date: (isoDate: string) => string
}

/**
 * The calm message for one content problem at `path` ("waivers/fees") with the validator's `reason`.
 * Known reasons get their own sentence; anything else is shown as it is, inside a general one.
 */
export function reasonMessage(path: string, reason: string, f?: Formatters): FieldMessage {
  if (reason === 'is required') return { key: 'valid.required' }
  let m = /^must be <= the baseline \w+ \((\d+)\)$/.exec(reason)
  if (m) return { key: 'valid.waiverTooLarge', params: { amount: f ? f.money(Number(m[1])) : m[1]! } }
  if (/^is required when \w+ is waived$/.test(reason)) return { key: 'valid.waiverReason' }
  m = /^must be after the baseline asOfDate \((\d{4}-\d{2}-\d{2})\)$/.exec(reason)
  if (m) return { key: 'valid.firstDueDate', params: { date: f ? f.date(m[1]!) : m[1]! } }
  m = /^must be <= termMonths \((\d+)\)$/.exec(reason)
  if (m) return { key: 'valid.missedPayments', params: { n: Number(m[1]) } }
  if (/^is required while the original contract has months remaining$/.test(reason)) return { key: 'valid.originalMethod' }
  if (/^must be a date/.test(reason)) return { key: 'valid.date' }
  if (/^outstanding principal \+ accrued interest .* must be <=/.test(reason)) return { key: 'valid.tooLarge' }
  if (path === 'baseline/outstandingPrincipal' && /^must be >= 1$/.test(reason)) return { key: 'valid.outstandingPrincipal' }
  if (path.startsWith('baseline/originalAnnualRatePct')) return { key: 'valid.annualRatePct' }
  return { key: 'valid.other', params: { reason } }
}

/**
 * Every content error (checkContent: "/section/field: reason") of the restructuring sections, keyed by
 * "section.field" ("waivers.penaltyInterest", "commitments.firstDueDate"); the first one per field wins.
 * A reason required by a waiver is shown beside the reason, the rule of a lapse beside its count.
 */
export function restructuringErrors(errors: readonly string[], f: Formatters): Record<string, FieldMessage> {
  const out: Record<string, FieldMessage> = {}
  for (const e of errors) {
    const { path, reason } = splitError(e)
    const [section, field = ''] = path.split('/')
    if (section !== 'baseline' && section !== 'waivers' && section !== 'commitments') continue
    const key = `${section}.${field}`
    if (!(key in out)) out[key] = reasonMessage(`${section}/${field}`, reason, f)
  }
  return out
}

/** The waivers of the map in display order: category, amount (0 when none) and reason. */
export function waiverRows(waivers: ScalarMap): { category: WaiverCategory; amount: number; reason: string }[] {
  return WAIVER_CATEGORIES.map((category) => {
    const a = waivers[category]
    const r = waivers[reasonKey(category)]
    return { category, amount: typeof a === 'number' ? a : 0, reason: typeof r === 'string' ? r : '' }
  })
}

/** The missed-payment rule is one term: switched on it writes both values, switched off it removes both. */
export function lapsePatch(on: boolean, current: ScalarMap): Record<string, Scalar | undefined> {
  if (!on) return { missedPaymentsBeforeLapse: undefined, lapseRestoresBaseline: undefined }
  const n = current.missedPaymentsBeforeLapse
  const restores = current.lapseRestoresBaseline
  return {
    missedPaymentsBeforeLapse: typeof n === 'number' ? n : 2,
    lapseRestoresBaseline: typeof restores === 'boolean' ? restores : true,
  }
}

/** The message naming a restructuring field someone is editing ("waivers.feesReason" → "Reason"), or null. */
export function restructuringFieldKey(field: string): MessageKey | null {
  const [section, key = ''] = field.split('.')
  if (section === 'baseline') return labelKey(BASELINE_FIELD_LABEL, key) ?? null
  if (section === 'waivers') {
    const category = labelKey(WAIVER_LABEL, key)
    if (category) return category
    if (WAIVER_CATEGORIES.some((c) => reasonKey(c) === key)) return 'waivers.reason'
  }
  if (section === 'commitments') {
    const keys: Record<string, MessageKey> = {
      firstDueDate: 'commit.firstDueDate',
      noCollectionCalls: 'commit.noCollectionCalls',
      noHomeVisits: 'commit.noHomeVisits',
      creditReporting: 'commit.creditReporting',
      missedPaymentsBeforeLapse: 'commit.lapse.count',
      lapseRestoresBaseline: 'commit.lapse.outcome',
    }
    return keys[key] ?? null
  }
  return null
}

// ---- the lobby: the baseline typed as text before the room exists ----

export type BaselineDraft = Record<BaselineKey, string>

export function emptyBaselineDraft(): BaselineDraft {
  return {
    outstandingPrincipal: '',
    accruedInterest: '0',
    penaltyInterest: '0',
    fees: '0',
    daysPastDue: '',
    asOfDate: '',
    originalAnnualRatePct: '',
    originalMethod: 'annuity',
    originalRemainingMonths: '',
  }
}

export type BaselineErrors = Partial<Record<BaselineKey, FieldMessage>>

export type BaselineDraftCheck = { ok: true; baseline: Baseline } | { ok: false; errors: BaselineErrors }

/** Every typed baseline field read and the whole checked by the baseline schema; errors sit beside their fields. */
export function checkBaselineDraft(d: BaselineDraft, digits: number): BaselineDraftCheck {
  const errors: BaselineErrors = {}
  const out: ScalarMap = {}
  for (const key of BASELINE_KEYS) {
    const kind = BASELINE_KINDS[key]
    if (kind === 'method') continue
    const p = parseField(kind, d[key], digits)
    if (p.ok) out[key] = p.value
    else errors[key] = p.message
  }
  // The original method matters only while the original contract still has months to run.
  if (typeof out.originalRemainingMonths === 'number' && out.originalRemainingMonths > 0) out.originalMethod = d.originalMethod
  if (Object.keys(errors).length > 0) return { ok: false, errors }
  const r = validateBaseline(out)
  if (r.ok) return { ok: true, baseline: r.value }
  const { path, reason } = splitError(r.error)
  const field = ((BASELINE_KEYS as readonly string[]).includes(path) ? path : 'outstandingPrincipal') as BaselineKey
  return { ok: false, errors: { [field]: reasonMessage(`baseline/${field}`, reason) } }
}

/** What is owed before any waiver: the sum of the four amounts of a valid baseline. */
export function totalOwed(b: Baseline): number {
  return b.outstandingPrincipal + b.accruedInterest + b.penaltyInterest + b.fees
}
