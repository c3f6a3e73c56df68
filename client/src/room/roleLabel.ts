// How a role is named in the room's language ("Borrower", "mediator"…).
import { t } from '../lib/i18n.svelte.ts'
import type { ObserverLabel, ObserverSide } from '../../../shared/protocol/index.ts'

export function roleLabel(role: string, observerLabel: ObserverLabel): string {
  if (role === 'borrower') return t('role.borrower')
  if (role === 'lender') return t('role.lender')
  if (role === 'observer') return t(`observerLabel.${observerLabel}`)
  return role
}

/** An observer's label with its side: "borrower's financial advisor", or "mediator" for a neutral. */
export function observerRole(label: ObserverLabel, side: ObserverSide | undefined): string {
  const name = t(`observerLabel.${label}`)
  return side === 'borrower' || side === 'lender' ? t(`observers.labelOfSide.${side}`, { label: name }) : name
}

/** What names one person's role where the room knows its participants: each observer by its own label and side. */
export function personRole(
  role: string,
  name: string,
  participants: readonly { role: string; name: string; label?: ObserverLabel; side?: ObserverSide }[],
  observerLabel: ObserverLabel,
): string {
  if (role !== 'observer') return roleLabel(role, observerLabel)
  const p = participants.find((x) => x.role === 'observer' && x.name === name)
  return observerRole(p?.label ?? observerLabel, p?.side)
}
