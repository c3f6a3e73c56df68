// A content change list (shared/content/contentChanges.ts) in the reader's language: one "label before → after"
// line per change, used by the review's "changed since" list and the chat's 'cleared' line alike.
import type { ChangeSection, ContentChange } from '../../../shared/content/contentChanges.ts'
import type { Scalar } from '../../../shared/document/roomDoc.ts'
import type { MessageKey } from '../i18n/index.ts'
import { codeValueLabel, labelKey, mapFieldLabel, PROFILE_FIELD_LABEL, TERM_FIELD_LABEL } from '../i18n/labels.ts'
import { dateLong, integer, money, percent } from '../lib/format.ts'
import { t } from '../lib/i18n.svelte.ts'

export interface ChangeLine {
  /** section.key: unique in a list. */
  id: string
  label: string
  /** Empty for an edit without figures (the clauses). */
  before: string
  after: string
}

const FIGURE_LABEL: Readonly<Record<string, MessageKey>> = {
  regularInstalment: 'compare.instalment',
  aprPct: 'review.since.apr',
  totalToPay: 'recovery.withPlan',
  recoveryRatioPct: 'recovery.ratio',
}

/** A reason can be long: the line shows its start. */
const TEXT_MAX = 60

function labelOf(section: ChangeSection, key: string): string {
  let label: MessageKey | undefined
  if (section === 'terms') label = labelKey(TERM_FIELD_LABEL, key)
  else if (section === 'profile') label = labelKey(PROFILE_FIELD_LABEL, key)
  else if (section === 'clauses') label = 'clauses.title'
  else if (section === 'figures') label = labelKey(FIGURE_LABEL, key)
  else label = mapFieldLabel(section, key)
  return label ? t(label) : key
}

/** A typed rate keeps the decimals it was typed with (at least two); a computed one shows two. */
function rateText(s: string, section: ChangeSection, digits?: number): string {
  if (!/^-?\d+(\.\d+)?$/.test(s)) return s
  if (digits !== undefined) return percent(s, digits)
  if (section === 'figures') return percent(s)
  return percent(s, Math.max(2, s.split('.')[1]?.length ?? 0))
}

function valueText(c: ContentChange, value: Scalar | null, currency: string, rateDigits?: number): string {
  if (value === null) return t('common.none')
  const code = codeValueLabel(c.key, value)
  if (code) return t(code)
  switch (c.kind) {
    case 'money':
      return typeof value === 'number' ? money(value, currency) : String(value)
    case 'rate':
      return rateText(String(value), c.section, rateDigits)
    case 'months':
    case 'integer':
      return typeof value === 'number' ? integer(value) : String(value)
    case 'date':
      return dateLong(String(value))
    case 'flag':
      return typeof value === 'boolean' ? t(value ? 'changeField.yes' : 'changeField.no') : String(value)
    default: {
      const s = String(value)
      return s.length > TEXT_MAX ? `${s.slice(0, TEXT_MAX - 1)}…` : s
    }
  }
}

/** Each change as a labelled before → after pair, in the list's order. */
export function changeLines(changes: readonly ContentChange[], currency: string): ChangeLine[] {
  return changes.map((c) => {
    const id = `${c.section}.${c.key}`
    const label = labelOf(c.section, c.key)
    if (c.kind === 'edited') return { id, label, before: '', after: '' }
    let before = valueText(c, c.before, currency)
    let after = valueText(c, c.after, currency)
    // A computed rate that moved by less than the two decimals show: four, so the line never reads "x → x".
    if (before === after && c.kind === 'rate') {
      before = valueText(c, c.before, currency, 4)
      after = valueText(c, c.after, currency, 4)
    }
    return { id, label, before, after }
  })
}

/** One line as text: "Upfront fee ¥0.00 → ¥3,000.00", or "Additional conditions edited". */
export function changeLineText(line: ChangeLine): string {
  return line.before || line.after ? t('changes.item', { label: line.label, before: line.before, after: line.after }) : t('changes.edited', { label: line.label })
}

/** The whole list on one line: "Upfront fee ¥0.00 → ¥3,000.00 · APR 8.30 % → 28.30 %". */
export function changesText(changes: readonly ContentChange[], currency: string): string {
  return changeLines(changes, currency).map(changeLineText).join(t('changes.sep'))
}
