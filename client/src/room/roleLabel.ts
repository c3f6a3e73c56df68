// How a role is named in the room's language ("Borrower", "mediator"…).
import { t } from '../lib/i18n.svelte.ts'
import type { ObserverLabel } from '../../../shared/protocol/index.ts'

export function roleLabel(role: string, observerLabel: ObserverLabel): string {
  if (role === 'borrower') return t('role.borrower')
  if (role === 'lender') return t('role.lender')
  if (role === 'observer') return t(`observerLabel.${observerLabel}`)
  return role
}
