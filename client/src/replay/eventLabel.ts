// A log event as one timeline row: what happened, in the chosen language (the icon is ReplayIcon).
import type { ArchiveEvent } from '../../../shared/protocol/eventLog.ts'
import { t } from '../lib/i18n.svelte.ts'
import { labelKey, ROLE_LABEL } from '../i18n/labels.ts'
import { OBSERVER_LABELS, OBSERVER_SIDES } from '../../../shared/protocol/room.ts'
import { observerRole } from '../room/roleLabel.ts'

function str(payload: unknown, key: string): string {
  const v = payload && typeof payload === 'object' ? (payload as Record<string, unknown>)[key] : undefined
  return typeof v === 'string' ? v : ''
}

function roleText(role: string): string {
  const key = labelKey(ROLE_LABEL, role)
  return key ? t(key) : role
}

/** An observer line's name and its label with side ("Wang Fang", "borrower's financial advisor"). */
function observerText(payload: unknown): { name: string; label: string } {
  const label = OBSERVER_LABELS.find((l) => l === str(payload, 'label')) ?? 'other'
  const side = OBSERVER_SIDES.find((s) => s === str(payload, 'side'))
  return { name: str(payload, 'name'), label: observerRole(label, side) }
}

/** "Edited the rate, the term", "Attached payslip.pdf", "Confirmed 3fa2c1d0"… `fields` names what an update changed. */
export function eventLabel(e: ArchiveEvent, fields: readonly string[] = []): string {
  switch (e.type) {
    case 'create':
      return t('replay.ev.create')
    case 'update':
      return fields.length ? t('replay.ev.updateFields', { fields: fields.join(t('common.listSep')) }) : t('replay.ev.update')
    case 'chat':
      return t('replay.ev.chat')
    case 'join':
      return t('replay.ev.join')
    case 'leave':
      return t('replay.ev.leave')
    case 'confirm':
      return t('replay.ev.confirm', { fp: str(e.payload, 'hash').slice(0, 8) })
    case 'withdraw':
      return t('replay.ev.withdraw')
    case 'cleared':
      return t('replay.ev.cleared')
    case 'lock':
      return t('replay.ev.lock')
    case 'rating':
      return t('replay.ev.rating')
    case 'invites_revoked': {
      const roles = e.payload && typeof e.payload === 'object' ? (e.payload as { roles?: unknown }).roles : undefined
      const names = Array.isArray(roles) ? roles.map((r) => roleText(String(r))) : []
      return t('replay.ev.invitesRevoked', { roles: names.join(t('common.listSep')) })
    }
    case 'paused': {
      const p = e.payload && typeof e.payload === 'object' ? (e.payload as { minutes?: unknown }) : {}
      const minutes = typeof p.minutes === 'number' ? p.minutes : ''
      const reason = str(e.payload, 'reason')
      return reason ? t('replay.ev.pausedReason', { minutes, reason }) : t('replay.ev.paused', { minutes })
    }
    case 'resumed':
      return str(e.payload, 'reason') === 'ended' ? t('replay.ev.resumedEnded') : t('replay.ev.resumedExpired')
    case 'observer_added':
      return t('replay.ev.observerAdded', observerText(e.payload))
    case 'observer_revoked':
      return t('replay.ev.observerRevoked', observerText(e.payload))
    case 'attachment':
      return t('replay.ev.attachment', { file: str(e.payload, 'name') })
    default:
      return t('replay.ev.other', { type: e.type })
  }
}
