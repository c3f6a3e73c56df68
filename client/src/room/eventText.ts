// A system line of the chat (room:event) in the chosen language.
import { t } from '../lib/i18n.svelte.ts'
import type { ObserverLabel, RoomEventLine } from '../../../shared/protocol/index.ts'
import { observerRole, personRole, roleLabel } from './roleLabel.ts'
import { OBSERVER_LABELS, OBSERVER_SIDES, type ObserverSide, type Participant } from '../../../shared/protocol/room.ts'
import { changesText } from './changeLines.ts'
import { readChanges } from '../../../shared/content/contentChanges.ts'

function fp(params: Record<string, unknown> | undefined): string {
  const h = params?.hash ?? params?.contentHash ?? params?.currentHash
  return typeof h === 'string' ? h.slice(0, 8) : ''
}

function rolesText(roles: unknown, observerLabel: ObserverLabel): string {
  return Array.isArray(roles) ? roles.map((r) => roleLabel(String(r), observerLabel)).join(t('common.listSep')) : ''
}

/** What the change that cleared the confirmations was, as the server recorded it (older lines carry none). */
function clearedText(params: Record<string, unknown> | undefined, currency: string): string {
  const changes = readChanges(params?.changes)
  if (changes.length === 0) return t('event.cleared')
  return t('event.clearedChanges', { changes: changesText(changes, currency) })
}

/** The label and side an observer line names (params of 'observer_added' / 'observer_revoked'). */
function observerParams(params: Record<string, unknown> | undefined): { observer: string; label: string } {
  const label = OBSERVER_LABELS.find((l) => l === params?.label) ?? 'other'
  const side = OBSERVER_SIDES.find((s) => s === params?.side) as ObserverSide | undefined
  return { observer: typeof params?.name === 'string' ? params.name : '', label: observerRole(label, side) }
}

/** `currency` formats the amounts a 'cleared' line names; `participants` name each observer by its own label and side. */
export function eventText(e: RoomEventLine, observerLabel: ObserverLabel, currency: string, participants: readonly Participant[] = []): string {
  const role = personRole(e.actor?.role ?? '', e.actor?.name ?? '', participants, observerLabel)
  const name = e.actor?.name || role
  switch (e.type) {
    case 'joined':
      return t('event.joined', { name, role })
    case 'left':
      return t('event.left', { name, role })
    case 'confirmed':
      return t('event.confirmed', { name, role, fp: fp(e.params) })
    case 'withdrawn':
      return t('event.withdrawn', { name, role })
    case 'cleared':
      return clearedText(e.params, currency)
    case 'locked':
      return t('event.locked', { fp: fp(e.params) })
    case 'amended':
      return t('event.amended', { name })
    case 'rated':
      return t('event.rated', { name })
    case 'revoked':
      return t('event.revoked', { roles: rolesText(e.params?.roles, observerLabel) })
    case 'paused': {
      const minutes = typeof e.params?.minutes === 'number' ? e.params.minutes : ''
      const reason = typeof e.params?.reason === 'string' ? e.params.reason : ''
      return reason ? t('event.pausedReason', { name, role, minutes, reason }) : t('event.paused', { name, role, minutes })
    }
    case 'resumed':
      return e.params?.reason === 'ended' ? t('event.resumedEnded', { name, role }) : t('event.resumedExpired')
    case 'observer_added':
      return t('event.observerAdded', { name, ...observerParams(e.params) })
    case 'observer_revoked':
      return t('event.observerRevoked', { name, ...observerParams(e.params) })
    case 'attached':
      return t('event.attached', { name, role, file: typeof e.params?.name === 'string' ? e.params.name : '' })
    default:
      return t('event.other', { name, type: e.type })
  }
}
