// The parties' confirmations and the lock they lead to. A standing confirmation is what the room keeps in
// memory, logs as a 'confirm' event, hands to buildAgreement at the lock, and rebuilds from the log on load.
// Deciding, sealing and withdrawing go through one commit path, whether a confirm locks or the cluster does.
import { AGREEMENT_STAFF_KEYS, agreementHash, type Agreement, type AgreementStaff } from '../../shared/agreement/agreement.ts'
import { summaryHash } from '../../shared/agreement/summaryText.ts'
import { readContent } from '../../shared/document/roomDoc.ts'
import { checkContent, validateContent } from '../../shared/content/validateContent.ts'
import type { AgreementLang } from '../../shared/i18n/agreementText.ts'
import { refuse, type Refusal } from '../../shared/protocol/errors.ts'
import { fullNameProblem } from '../../shared/schema/protocol.schema.ts'
import { actorOf, type Actor, type Confirmation, type PartyRole } from '../../shared/protocol/room.ts'
import type { Ack, ConfirmPayload, StateResult } from '../../shared/protocol/socket.ts'
import { buildAgreement, type ConfirmationInput } from '../agreement/buildAgreement.ts'
import { AppendRefusedError, type AppendOptions, type JsonPayload, type NewEvent, type StoredEvent } from '../store/Store.ts'
import { guard, isParty } from './guard.ts'
import type { Room } from './Room.ts'

/** Where a confirmation came from, as the transport saw it (null when unknown). */
export interface ConfirmContext {
  ip: string | null
  userAgent: string | null
  /** A seat token's organisation name (the actor carries the staff id and organisation id). */
  orgName?: string
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
  /** The staff member in the lender's seat who confirmed (absent for an invite link). */
  staff?: AgreementStaff
}

/** The 'confirm' event payload: {hash, fullName, confirmedAt, ip, userAgent, summaryLang?, summaryHash?, shownAt?, staff?}. */
export function confirmPayload(c: StandingConfirmation): JsonPayload {
  const payload: JsonPayload = { hash: c.hash, fullName: c.fullName, confirmedAt: c.ts, ...(c.consent ?? {}), ip: c.ip, userAgent: c.userAgent }
  if (c.staff) payload.staff = { ...c.staff }
  return payload
}

/** Who confirmed from a seat: the actor's staff id and organisation, with the organisation's name from the token. */
function staffOf(actor: Actor, context: ConfirmContext): AgreementStaff | null {
  if (actor.staffId === undefined || actor.orgId === undefined || context.orgName === undefined) return null
  return { staffId: actor.staffId, name: actor.name, orgId: actor.orgId, orgName: context.orgName }
}

function staffFromPayload(x: unknown): AgreementStaff | null {
  if (typeof x !== 'object' || x === null) return null
  const s = x as Record<string, unknown>
  const [staffId, name, orgId, orgName] = AGREEMENT_STAFF_KEYS.map((k) => str(s[k]))
  return staffId && name && orgId && orgName ? { staffId, name, orgId, orgName } : null
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
  const base: ConfirmationInput = { role: c.role, name: c.fullName, confirmedAt: c.ts, hash: c.hash, ...(c.staff ? { staff: c.staff } : {}) }
  if (!c.consent) return base
  return { ...base, ...c.consent, ip: c.ip, userAgent: c.userAgent }
}

function str(x: unknown): string | null {
  return typeof x === 'string' ? x : null
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
  const staff = staffFromPayload(p.staff)
  return {
    role: e.actor.role,
    name: e.actor.name,
    fullName: str(p.fullName) ?? e.actor.name,
    hash,
    ts: typeof p.confirmedAt === 'number' ? p.confirmedAt : e.ts,
    consent,
    ip: str(p.ip),
    userAgent: str(p.userAgent),
    ...(staff ? { staff } : {}),
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

/** The server itself, as the actor of the lock. */
export const SERVER_ACTOR: Actor = { role: 'system', name: 'server' }

type Content = ReturnType<typeof readContent>

/** A lock decided in memory: the event to append with these options, or the decision to take back. */
interface Sealed {
  event: NewEvent
  options: AppendOptions
  revert: () => void
}

type Outcome = { kind: 'committed' } | { kind: 'refused'; resumed: Promise<void> } | { kind: 'failed' }

export class Confirmations {
  /** The standing confirmations, in the order they were given; any change of content clears them. */
  standing: StandingConfirmation[] = []

  constructor(private readonly room: Room) {}

  /** Confirmations and the lock from their log events (loadRoom). */
  restore(events: StoredEvent[]): void {
    const room = this.room
    this.standing = standingConfirmations(events, room.currentHash)
    if (room.phase !== 'locked') return
    const lock = events.find((e) => e.type === 'lock')
    const agreement = lock && !(lock.payload instanceof Uint8Array) ? (lock.payload.agreement as Agreement | undefined) : undefined
    if (!agreement) {
      room.log.error({ roomId: room.id }, 'the room is locked but its log has no agreement')
      return
    }
    room.agreement = agreement
    room.agreementHash ??= agreementHash(agreement)
    room.lockedAt = Date.parse(agreement.lockedAt)
  }

  /**
   * Binds the party to `input.hash`, which must be the current hash of valid content. When the other party
   * stands confirmed on the same hash, the room locks in the same step: the decision (phase 'locked', the
   * signed agreement) is made synchronously, before anything is awaited, so an update that arrives after this
   * call is refused with `locked`, and one that arrived before it changed the hash (`stale_hash`). The
   * confirm and lock events are appended together, with the phase, in one store transaction.
   */
  confirm(actor: Actor, input: ConfirmPayload, context: ConfirmContext): Promise<Ack<StateResult>> {
    // With other processes, decide on the whole log: nothing of ours in flight, no gap in theirs.
    const wait = this.room.sync.beforeDecision()
    if (!wait) return Promise.resolve(this.decide(actor, input, context))
    return wait.then(() => this.decide(actor, input, context))
  }

  /** Takes back the party's confirmation (before the lock). Without one, nothing happens. */
  withdraw(actor: Actor): Promise<Ack<StateResult>> {
    const room = this.room
    const refused = guard(room, actor, { party: 'only the borrower and the lender confirm', negotiating: true }) ?? room.coolingOff.refusal()
    if (refused) return Promise.resolve(refused)
    const mine = this.standing.find((c) => c.role === actor.role)
    if (!mine) return Promise.resolve({ ok: true, state: room.state })
    this.standing = this.standing.filter((c) => c !== mine)
    return this.commit([{ actor: actorOf(actor), type: 'withdraw', payload: { hash: mine.hash } }], null).then(
      (o): Ack<StateResult> =>
        o.kind === 'committed' ? { ok: true, state: room.state } : refuse('storage_failure', 'the withdrawal could not be stored; the room is reloading'),
    )
  }

  /** Clears every confirmation (a change of content); returns those that stood. */
  clear(): StandingConfirmation[] {
    const cleared = this.standing
    this.standing = []
    return cleared
  }

  /** Locks on two standing confirmations another process did not pair (ClusterSync); nothing when the content is not valid. */
  lockPair(first: StandingConfirmation, second: StandingConfirmation): Promise<void> | undefined {
    // A pause freezes the confirmations: the pair locks once it lifts (the next confirmation event decides again).
    if (this.room.coolingOff.refusal()) return
    const content = readContent(this.room.doc)
    if (!validateContent(content).ok) return
    const sealed = this.seal(first, second, content, Date.now())
    if (!('event' in sealed)) return
    return this.commit([], sealed).then((o) => (o.kind === 'refused' ? o.resumed : undefined))
  }

  /** Another process's confirmation; true when it stands here (it is of the current content, before the lock). */
  absorbConfirm(c: StandingConfirmation): boolean {
    if (c.hash !== this.room.currentHash || this.room.phase !== 'negotiating') return false
    this.standing = [...this.standing.filter((x) => x.role !== c.role), c]
    return true
  }

  /** Another process's 'withdraw' or 'cleared'. */
  absorbRemoval(e: StoredEvent): void {
    const p = e.payload as JsonPayload
    const roles = e.type === 'withdraw' ? [e.actor.role] : Array.isArray(p.roles) ? (p.roles as string[]) : ['borrower', 'lender']
    this.standing = this.standing.filter((c) => !(roles.includes(c.role) && c.hash === p.hash))
  }

  /** Another process locked the room. */
  absorbLock(p: JsonPayload): void {
    const room = this.room
    room.phase = 'locked'
    if (typeof p.agreementHash === 'string') room.agreementHash = p.agreementHash
    const agreement = p.agreement as Agreement | undefined
    if (agreement) {
      room.agreement = agreement
      room.lockedAt = Date.parse(agreement.lockedAt)
    }
  }

  /** Drops the confirmations another process's change made stale; returns them. */
  dropStale(): StandingConfirmation[] {
    const hash = this.room.currentHash
    const stale = this.standing.filter((c) => c.hash !== hash)
    if (stale.length > 0) this.standing = this.standing.filter((c) => c.hash === hash)
    return stale
  }

  private decide(actor: Actor, input: ConfirmPayload, context: ConfirmContext): Ack<StateResult> | Promise<Ack<StateResult>> {
    const room = this.room
    const refused = guard(room, actor, { party: 'only the borrower and the lender confirm', negotiating: true }) ?? room.coolingOff.refusal()
    if (refused) return refused
    const role = actor.role as PartyRole
    const problem = fullNameProblem(input.fullName)
    if (problem) return refuse('invalid_payload', problem)
    const fullName = input.fullName.trim()
    const currentHash = room.currentHash
    // A room loaded over its quota whose content is too large to hash: there is nothing one could confirm.
    if (currentHash === '') return refuse('quota_exceeded', room.gate.quotas.overOnLoad ?? 'this proposal is too long to confirm')
    if (input.hash !== currentHash) return staleHash('the proposal changed since you reviewed it; review the current version', currentHash)
    const content = readContent(room.doc)
    const checked = checkContent(content)
    if (!checked.ok) return refuse('invalid_content', `the proposal is not complete: ${checked.errors.join('; ')}`)
    // The agreement dates every payment from it: a plan without a first due date is not one to sign.
    if (checked.value.commitments.firstDueDate === undefined) {
      return refuse('first_due_date_required', 'set the first due date (commitments.firstDueDate) before confirming: every payment is dated from it')
    }

    const now = Date.now()
    let consent: StandingConfirmation['consent'] = null
    if (input.summaryLang !== undefined && input.summaryHash !== undefined && input.shownAt !== undefined) {
      const expected = summaryHash(content, input.summaryLang, room.record.currency)
      if (input.summaryHash !== expected) {
        return refuse('summary_mismatch', 'the summary you were shown is not the summary of the current proposal; review it again')
      }
      const shown = typeof input.shownAt === 'number' ? input.shownAt : Date.parse(input.shownAt)
      // A client clock ahead of ours must not put the showing after the confirmation.
      consent = { summaryLang: input.summaryLang, summaryHash: input.summaryHash, shownAt: new Date(Math.min(shown, now)).toISOString() }
    }
    const confirmation: StandingConfirmation = { role, name: actor.name, fullName, hash: currentHash, ts: now, consent, ip: context.ip, userAgent: context.userAgent }
    const staff = staffOf(actor, context)
    if (staff) confirmation.staff = staff
    const previous = this.standing.find((c) => c.role === role)
    // A resend (the ack was lost) changes nothing and logs nothing.
    if (previous && sameConfirmation(previous, confirmation)) return { ok: true, state: room.state }

    const other = this.standing.find((c) => c.role !== role && c.hash === currentHash)
    let sealed: Sealed | null = null
    if (other) {
      const s = this.seal(other, confirmation, content, now)
      if (!('event' in s)) return s
      sealed = s
    }
    this.standing = [...this.standing.filter((c) => c.role !== role), confirmation]
    const events: NewEvent[] = [{ actor: actorOf(actor), type: 'confirm', payload: confirmPayload(confirmation) }]
    return this.commit(events, sealed).then((o): Ack<StateResult> | Promise<Ack<StateResult>> => {
      if (o.kind === 'committed') return { ok: true, state: room.state }
      // Another process changed the proposal, or a confirmation, or paused the room, while this one decided: nothing
      // was stored. Once the room has read what it missed, the answer says which.
      if (o.kind === 'refused') {
        return o.resumed.then(() => room.coolingOff.refusal() ?? staleHash('the proposal changed while you confirmed; review the current version', currentHash))
      }
      return refuse('storage_failure', 'the confirmation could not be stored; the room is reloading, confirm again')
    })
  }

  /**
   * Signs the agreement for two standing confirmations of the current content and decides the lock
   * (phase, agreement) at once; the caller commits the returned event with the returned options.
   */
  private seal(first: StandingConfirmation, second: StandingConfirmation, content: Content, now: number): Sealed | Refusal {
    const room = this.room
    if (!room.serverKey) return refuse('unavailable', 'this server has no signing key; the room cannot lock')
    let agreement: Agreement
    try {
      agreement = buildAgreement(
        {
          roomId: room.id,
          title: room.record.title,
          ...(room.record.meta.lenderInstitution ? { lenderInstitution: room.record.meta.lenderInstitution } : {}),
          currency: room.record.currency,
          lockedAt: now,
          content,
          confirmations: [agreementConfirmation(first), agreementConfirmation(second)],
          original: room.record.meta.original ?? null,
          logHead: { seq: room.lastSeq, hash: room.lastHash },
          disclosureRules: room.disclosureRules,
          attachments: room.attachments.map((a) => ({ name: a.name, sha256: a.sha256, size: a.size, mediaType: a.mediaType })),
        },
        room.serverKey,
      )
    } catch (err) {
      // The checks before guarantee its preconditions: this is a bug, and nothing changes.
      room.log.error({ roomId: room.id, err }, 'the agreement could not be built')
      return refuse('internal', 'the agreement could not be built; nothing was locked')
    }
    const hash = agreementHash(agreement)
    const contentHash = room.currentHash
    const before = { standing: this.standing, agreementHash: room.agreementHash, lockedAt: room.lockedAt }
    // The lock, decided: from this line on applyUpdate refuses every change.
    room.phase = 'locked'
    room.agreement = agreement
    room.agreementHash = hash
    room.lockedAt = now
    return {
      event: { actor: SERVER_ACTOR, type: 'lock', payload: { phase: 'locked', contentHash, agreementHash: hash, agreement: agreement as unknown as JsonPayload } },
      options: { phase: 'locked', agreementHash: hash, ...room.sync.lockCondition() },
      // The store refused the lock (another process changed something first): back to what the log says.
      revert: () => {
        room.phase = 'negotiating'
        room.agreement = undefined
        room.agreementHash = before.agreementHash
        room.lockedAt = before.lockedAt
        this.standing = before.standing
      },
    }
  }

  /** The one write path of confirmations and the lock: commit, then show the lines and the state. */
  private commit(events: NewEvent[], sealed: Sealed | null): Promise<Outcome> {
    const room = this.room
    const all = sealed ? [...events, sealed.event] : events
    return room.write(all, sealed?.options, sealed !== null).then(
      (results): Outcome => {
        for (const r of results) room.publishLine(r.event)
        room.publishState()
        return { kind: 'committed' }
      },
      (err: unknown): Outcome => {
        if (!(sealed && err instanceof AppendRefusedError)) return { kind: 'failed' }
        sealed.revert()
        return { kind: 'refused', resumed: this.resumeAfterRefusal() }
      },
    )
  }

  /** After a refused lock: the store takes appends again, and the room learns what the other process wrote. */
  private async resumeAfterRefusal(): Promise<void> {
    const room = this.room
    try {
      await room.store.resume(room.id)
    } catch (err) {
      room.log.warn({ roomId: room.id, err }, 'could not resume appends after a refused lock')
    }
    await room.sync.catchUp()
    room.publishState()
  }
}

function staleHash(message: string, currentHash: string): Refusal & { currentHash: string } {
  return { ...refuse('stale_hash', message), currentHash }
}
