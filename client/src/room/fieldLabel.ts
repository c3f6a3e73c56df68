// The human name of a field someone is editing (awareness `editing`), in the chosen language.
import { t } from '../lib/i18n.svelte.ts'
import { TERM_FIELDS, PROFILE_FIELDS, type TermField, type ProfileField } from '../lib/termFields.ts'
import { restructuringFieldKey } from '../lib/restructuringFields.ts'

export function fieldLabel(field: string): string {
  if ((TERM_FIELDS as readonly string[]).includes(field)) return t(`field.${field as TermField}`)
  if (field.startsWith('profile.')) {
    const f = field.slice('profile.'.length)
    if ((PROFILE_FIELDS as readonly string[]).includes(f)) return t(`profile.${f as ProfileField}`)
  }
  const restructuring = restructuringFieldKey(field)
  if (restructuring) return t(restructuring)
  if (field === 'clauses') return t('clauses.title')
  return field
}
