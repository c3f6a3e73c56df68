// The human name of a field someone is editing (awareness `editing`), in the chosen language.
import { t } from '../../lib/i18n.svelte.ts'
import { labelKey, PROFILE_FIELD_LABEL, TERM_FIELD_LABEL } from '../../i18n/labels.ts'
import { restructuringFieldKey } from '../../lib/restructuringFields.ts'

export function fieldLabel(field: string): string {
  const term = labelKey(TERM_FIELD_LABEL, field)
  if (term) return t(term)
  const profile = field.startsWith('profile.') ? labelKey(PROFILE_FIELD_LABEL, field.slice('profile.'.length)) : undefined
  if (profile) return t(profile)
  const restructuring = restructuringFieldKey(field)
  if (restructuring) return t(restructuring)
  if (field === 'clauses') return t('clauses.title')
  return field
}
