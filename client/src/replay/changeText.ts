// One change as a sentence in the chosen language: "14:02 Lender (Wang) changed the rate 4.90 % → 4.35 %".
import type { Scalar } from '../../../shared/document/roomDoc.ts'
import type { MapRoot } from '../../../shared/archive/termChange.ts'
import type { MessageKey } from '../i18n/index.ts'
import { t } from '../lib/i18n.svelte.ts'
import { dateLong, integer, money, rate, time } from '../lib/format.ts'
import { CHANGED_FIELD_LABEL, codeValueLabel, labelKey, mapFieldLabel, PROFILE_FIELD_LABEL } from '../i18n/labels.ts'
import type { ObserverLabel } from '../../../shared/protocol/index.ts'
import { roleLabel } from '../room/roleLabel.ts'
import type { ChangeEntry } from './groupChanges.ts'

const MONEY_KEYS = new Set(['principal', 'upfrontFee', 'outstandingPrincipal', 'accruedInterest', 'penaltyInterest', 'fees'])
const SECTION: Record<Exclude<MapRoot, 'terms'>, MessageKey> = {
  profile: 'profile.title',
  baseline: 'agreement.baseline.heading',
  waivers: 'agreement.waivers.heading',
  commitments: 'agreement.commitments.heading',
}

/** "Lender (Wang)", or "the server" for the system. */
export function whoText(actor: { role: string; name: string }, observerLabel: ObserverLabel): string {
  if (actor.role === 'system') return t('replay.actor.system')
  const role = roleLabel(actor.role, observerLabel)
  return actor.name ? t('replay.who', { role, name: actor.name }) : role
}

/** The field's name in a sentence ("the rate", "Monthly income", "Waivers · Fees waived"). */
export function fieldText(root: MapRoot, key: string): string {
  if (root === 'terms') {
    const label = labelKey(CHANGED_FIELD_LABEL, key)
    return label ? t(label) : key
  }
  if (root === 'profile') {
    const label = labelKey(PROFILE_FIELD_LABEL, key)
    return label ? t(label) : `${t(SECTION.profile)} · ${key}`
  }
  const label = mapFieldLabel(root, key)
  return `${t(SECTION[root])} · ${label ? t(label) : key}`
}

/** A stored value as a person reads it: money with its currency, a rate with %, months, method names. */
export function valueText(key: string, value: Scalar | null, currency: string, root: MapRoot = 'terms'): string {
  if (value === null) return t('common.none')
  const code = codeValueLabel(key, value)
  if (code) return t(code)
  if (typeof value === 'boolean') return t(value ? 'changeField.yes' : 'changeField.no')
  if (typeof value === 'number' && Number.isSafeInteger(value)) {
    if (MONEY_KEYS.has(key) || root === 'profile') return money(value, currency)
    if (/Months$/.test(key)) return t('changeField.months', { n: integer(value) })
    return integer(value)
  }
  const s = String(value)
  if (/RatePct$|^annualRatePct$/.test(key) && /^\d+(\.\d+)?$/.test(s)) return `${rate(s)} %`
  if (/Date$/.test(key) && /^\d{4}-\d{2}-\d{2}$/.test(s)) return dateLong(s)
  return s
}

/** The whole line of one change entry. */
export function changeText(e: ChangeEntry, currency: string, observerLabel: ObserverLabel): string {
  const at = time(e.ts)
  const who = whoText(e.actor, observerLabel)
  if (e.kind === 'clauses') {
    return t('change.clauses', { time: at, who, chars: t('change.chars', { ins: integer(e.inserted), del: integer(e.deleted) }) })
  }
  const field = fieldText(e.root, e.key)
  const from = valueText(e.key, e.from, currency, e.root)
  const to = valueText(e.key, e.to, currency, e.root)
  if (e.actor.role === 'system' && e.from === null) return t('change.initial', { time: at, field, to })
  if (e.from === null) return t('change.set', { time: at, who, field, to })
  if (e.to === null) return t('change.removed', { time: at, who, field, from })
  return t('change.changed', { time: at, who, field, from, to })
}
