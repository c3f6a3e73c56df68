// A party's standing confirmation: what the room keeps in memory, logs as a 'confirm' event,
// hands to buildAgreement at the lock, and rebuilds from the log when the room loads.
import type { ConfirmationInput } from '../agreement/buildAgreement.ts'
import type { AgreementLang } from '../../shared/i18n/agreementText.ts'
import type { Confirmation, PartyRole } from '../../shared/protocol/room.ts'
import type { JsonPayload, StoredEvent } from '../store/Store.ts'

/** Where a confirmation came from, as the transport saw it (null when unknown). */
export interface ConfirmContext {
  ip: string | null
  userAgent: string | null
}

export const NO_CONTEXT: ConfirmContext = { ip: null, userAgent: null }

/** What the review dialog showed before the person confirmed (the consent record of the agreement). */
export interface Consent {
  summaryLang: AgreementLang
  summaryHash: string
  /** ISO 8601, never after the confirmation. */
  shownAt: string
}

export interface StandingConfirmation extends Confirmation {
  consent: Consent | null
  ip: string | null
  userAgent: string | null
}

/** The 'confirm' event payload: {hash, fullName, confirmedAt, ip, userAgent, summaryLang?, summaryHash?, shownAt?}. */
export function confirmPayload(c: StandingConfirmation): JsonPayload {
  return { hash: c.hash, fullName: c.fullName, confirmedAt: c.ts, ...(c.consent ?? {}), ip: c.ip, userAgent: c.userAgent }
}

/** room:state shows who confirmed which hash, never their address or browser. */
export function publicConfirmation(c: StandingConfirmation): Confirmation {
  return { role: c.role, name: c.name, fullName: c.fullName, hash: c.hash, ts: c.ts }
}

export function sameConfirmation(a: StandingConfirmation, b: StandingConfirmation): boolean {
  return (
    a.hash === b.hash &&
    a.fullName === b.fullName &&
    a.consent?.summaryLang === b.consent?.summaryLang &&
    a.consent?.summaryHash === b.consent?.summaryHash
  )
}

/**
 * What buildAgreement signs for this confirmation: the typed full name, bound to the hash, and the consent
 * record when the client sent one (ip and user agent only go with it; buildAgreement refuses them alone).
 */
export function agreementConfirmation(c: StandingConfirmation): ConfirmationInput {
  const base: ConfirmationInput = { role: c.role, name: c.fullName, confirmedAt: c.ts, hash: c.hash }
  if (!c.consent) return base
  return { ...base, ...c.consent, ip: c.ip, userAgent: c.userAgent }
}

function str(x: unknown): string | null {
  return typeof x === 'string' ? x : null
}

function isParty(role: string): role is PartyRole {
  return role === 'borrower' || role === 'lender'
}

export function fromConfirmEvent(e: StoredEvent): StandingConfirmation | null {
  if (!isParty(e.actor.role) || e.payload instanceof Uint8Array) return null
  const p = e.payload
  const hash = str(p.hash)
  if (!hash) return null
  const lang = p.summaryLang
  const consent: Consent | null =
    (lang === 'en' || lang === 'zh') && str(p.summaryHash) && str(p.shownAt)
      ? { summaryLang: lang, summaryHash: p.summaryHash as string, shownAt: p.shownAt as string }
      : null
  return {
    role: e.actor.role,
    name: e.actor.name,
    fullName: str(p.fullName) ?? e.actor.name,
    hash,
    ts: typeof p.confirmedAt === 'number' ? p.confirmedAt : e.ts,
    consent,
    ip: str(p.ip),
    userAgent: str(p.userAgent),
  }
}

/**
 * The confirmations standing after these 'confirm', 'withdraw' and 'cleared' events (any order; replayed by
 * seq): a confirm replaces the party's earlier one, a withdraw removes it, 'cleared' (written with the update
 * that changed the content) removes all. Only those bound to `currentHash` are kept (belt and braces).
 */
export function standingConfirmations(events: readonly StoredEvent[], currentHash: string): StandingConfirmation[] {
  const byRole = new Map<PartyRole, StandingConfirmation>()
  for (const e of [...events].sort((a, b) => a.seq - b.seq)) {
    if (e.type === 'confirm') {
      const c = fromConfirmEvent(e)
      if (c) {
        byRole.delete(c.role) // re-inserted last: the list stays in confirmation order
        byRole.set(c.role, c)
      }
    } else if (e.type === 'withdraw') {
      if (isParty(e.actor.role)) byRole.delete(e.actor.role)
    } else if (e.type === 'cleared') {
      byRole.clear()
    }
  }
  return [...byRole.values()].filter((c) => c.hash === currentHash)
}
