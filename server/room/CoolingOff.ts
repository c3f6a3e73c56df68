// A cooling-off pause (issue 18): either party or a neutral freezes the proposal and the confirmations for a few
// minutes while the chat stays open. One pause at a time; each party may call `perParty` of them (a neutral is not
// counted). The freeze is read from the clock (now < endsAt), so a late timer never lengthens it; the timer only
// writes the 'resumed' line and tells the screens. A 'paused' and its 'resumed' are log events, so a reload and the
// replay rebuild the same pause. A neutral is an observer without a side; an observer attached to a party is refused
// before it gets here (server/transport/socketCommands.ts, from its token's side).
import { refuse, type Refusal } from '../../shared/protocol/errors.ts'
import { actorOf, type Actor, type PartyRole, type PauseInfo, type Role } from '../../shared/protocol/room.ts'
import { PAUSE_MINUTES, PAUSE_REASON_MAX, type Ack, type PauseCallPayload, type StateResult } from '../../shared/protocol/socket.ts'
import type { JsonPayload, StoredEvent } from '../store/Store.ts'
import { SERVER_ACTOR } from './Confirmations.ts'
import { guard, isParty } from './guard.ts'
import type { Room } from './Room.ts'

export interface PauseSettings {
  /** PAUSES_PER_PARTY: pauses each of the borrower and the lender may call in a room. */
  perParty: number
  /** PAUSE_MINUTE_MS: how long a pause minute lasts, in ms; 60 000 except in tests, which shorten it to see a pause end. */
  minuteMs: number
}

export const DEFAULT_PAUSES: PauseSettings = { perParty: 2, minuteMs: 60_000 }

/** The pause in force; `owned`: this process writes its 'resumed' line when it runs out (one writer per cluster). */
interface ActivePause extends PauseInfo {
  owned: boolean
}

/** A 'paused' log event as the pause it started (null for a payload that is not one). */
export function pauseOfEvent(e: StoredEvent): PauseInfo | null {
  if (e.type !== 'paused' || e.payload instanceof Uint8Array || e.actor.role === 'system') return null
  const p = e.payload
  if (typeof p.startedAt !== 'number' || typeof p.endsAt !== 'number') return null
  const pause: PauseInfo = { byRole: e.actor.role, byName: e.actor.name, startedAt: p.startedAt, endsAt: p.endsAt }
  if (typeof p.reason === 'string' && p.reason !== '') pause.reason = p.reason
  return pause
}

/** The pause the log leaves standing (if any, whether or not its time is up) and how many each party called. */
export function pausesOf(events: readonly StoredEvent[]): { last: PauseInfo | null; called: Record<PartyRole, number> } {
  const called: Record<PartyRole, number> = { borrower: 0, lender: 0 }
  let last: PauseInfo | null = null
  for (const e of [...events].sort((a, b) => a.seq - b.seq)) {
    if (e.type === 'paused') {
      last = pauseOfEvent(e)
      if (isParty(e.actor.role)) called[e.actor.role]++
    } else if (e.type === 'resumed') last = null
  }
  return { last, called }
}

export class CoolingOff {
  private current: ActivePause | null = null
  private readonly called: Record<PartyRole, number> = { borrower: 0, lender: 0 }
  private timer: NodeJS.Timeout | null = null

  constructor(
    private readonly room: Room,
    private readonly settings: PauseSettings,
  ) {}

  /** The pause among the events the room loads; `owns`: this process alone follows the room (it writes the end line). */
  restore(events: readonly StoredEvent[], owns: boolean): void {
    const { last, called } = pausesOf(events)
    Object.assign(this.called, called)
    // A locked room has nothing left to freeze (a pause cannot outlive the lock: confirming is refused while paused).
    if (last && this.room.phase === 'negotiating') this.start({ ...last, owned: owns })
  }

  /** The pause in force, as room:state shows it. */
  info(now = Date.now()): PauseInfo | undefined {
    const p = this.current
    if (!p || now >= p.endsAt) return undefined
    const { owned: _owned, ...info } = p
    return info
  }

  /** How many more pauses each party may call. */
  get left(): Record<PartyRole, number> {
    const n = (role: PartyRole): number => Math.max(0, this.settings.perParty - this.called[role])
    return { borrower: n('borrower'), lender: n('lender') }
  }

  /** Null unless a pause is in force: then what a change of the proposal or a confirmation is answered. */
  refusal(now = Date.now()): Refusal | null {
    const p = this.info(now)
    if (!p) return null
    return refuse('paused', `the room is paused until ${new Date(p.endsAt).toISOString()}: the proposal and confirmations are frozen, the chat is open`)
  }

  /** pause:call. With other processes, decided on the whole log (another one may have paused already). */
  call(actor: Actor, input: PauseCallPayload): Promise<Ack<StateResult>> {
    const wait = this.room.sync.beforeDecision()
    if (!wait) return this.decide(actor, input)
    return wait.then(() => this.decide(actor, input))
  }

  /** pause:end: only the one who called the pause lifts it early; without a pause, nothing happens. */
  end(actor: Actor): Promise<Ack<StateResult>> {
    const room = this.room
    const refused = guard(room, actor)
    if (refused) return Promise.resolve(refused)
    const p = this.info()
    if (!p) return Promise.resolve({ ok: true, state: room.state })
    if (p.byRole !== actor.role || p.byName !== actor.name) return Promise.resolve(refuse('forbidden', 'only the one who called the pause can end it early'))
    this.clear()
    return this.logResumed(actorOf(actor), p.endsAt, 'ended').then(
      (ok): Ack<StateResult> => (ok ? { ok: true, state: room.state } : refuse('storage_failure', 'the end of the pause could not be stored; the room is reloading')),
    )
  }

  /** Another process's 'paused' or 'resumed' (ClusterSync); the caller shows its line and the state. */
  absorb(e: StoredEvent): void {
    if (e.type === 'paused') {
      if (isParty(e.actor.role)) this.called[e.actor.role]++
      const p = pauseOfEvent(e)
      if (p && this.room.phase === 'negotiating') this.start({ ...p, owned: false })
    } else if (e.type === 'resumed') {
      const endsAt = (e.payload as JsonPayload).endsAt
      if (this.current && this.current.endsAt === endsAt) this.clear()
    }
  }

  /** Frees the timer (the room is disposed; a reload restores the pause from the log). */
  stop(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
  }

  private decide(actor: Actor, input: PauseCallPayload): Promise<Ack<StateResult>> {
    const room = this.room
    const refused = guard(room, actor, { negotiating: true })
    if (refused) return Promise.resolve(refused)
    if (actor.role === 'system') return Promise.resolve(refuse('forbidden', 'the server does not call pauses'))
    const { minutes } = input
    if (!Number.isInteger(minutes) || minutes < PAUSE_MINUTES.min || minutes > PAUSE_MINUTES.max) {
      return Promise.resolve(refuse('invalid_payload', `/minutes: must be a whole number from ${PAUSE_MINUTES.min} to ${PAUSE_MINUTES.max}`))
    }
    const reason = (input.reason ?? '').trim()
    if ([...reason].length > PAUSE_REASON_MAX) return Promise.resolve(refuse('invalid_payload', `/reason: must NOT have more than ${PAUSE_REASON_MAX} characters`))
    const now = Date.now()
    const standing = this.info(now)
    if (standing) return Promise.resolve(refuse('already_paused', `the room is paused already, until ${new Date(standing.endsAt).toISOString()}`))
    const role = actor.role
    if (isParty(role) && this.called[role] >= this.settings.perParty) {
      return Promise.resolve(refuse('pause_limit', `each party may call ${this.settings.perParty} pauses in this room, and you have called them all`))
    }

    // Decided here, before anything is awaited: an update or a confirmation after this line is refused.
    const pause: ActivePause = { byRole: role as Role, byName: actor.name, startedAt: now, endsAt: now + minutes * this.settings.minuteMs, owned: true }
    if (reason !== '') pause.reason = reason
    if (isParty(role)) this.called[role]++
    this.start(pause)
    const payload: JsonPayload = { minutes, startedAt: pause.startedAt, endsAt: pause.endsAt }
    if (pause.reason !== undefined) payload.reason = pause.reason
    return room.write([{ actor: actorOf(actor), type: 'paused', payload }]).then(
      ([r]): Ack<StateResult> => {
        room.publishLine(r!.event)
        room.publishState()
        return { ok: true, state: room.state }
      },
      () => refuse('storage_failure', 'the pause could not be stored; the room is reloading'),
    )
  }

  private start(pause: ActivePause): void {
    this.stop()
    this.current = pause
    this.arm()
  }

  private clear(): void {
    this.stop()
    this.current = null
  }

  private arm(): void {
    const p = this.current
    if (!p) return
    this.timer = setTimeout(() => this.expire(p), Math.max(0, p.endsAt - Date.now()))
    this.timer.unref()
  }

  /** The pause ran out: every screen is told, and the process that owns it logs the end. */
  private expire(p: ActivePause): void {
    this.timer = null
    const room = this.room
    if (this.current !== p || room.isDisposed) return
    if (Date.now() < p.endsAt) return this.arm()
    this.current = null
    if (p.owned && !room.broken) void this.logResumed(SERVER_ACTOR, p.endsAt, 'expired')
    else room.publishState()
  }

  /** Writes the 'resumed' line, then shows it; false when it could not be stored (the room breaks). */
  private logResumed(actor: Actor, endsAt: number, reason: 'expired' | 'ended'): Promise<boolean> {
    const room = this.room
    return room.write([{ actor, type: 'resumed', payload: { endsAt, reason } }]).then(
      ([r]) => {
        room.publishLine(r!.event)
        room.publishState()
        return true
      },
      () => false,
    )
  }
}
