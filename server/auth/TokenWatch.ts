// The tokens of open connections (Yjs and socket.io). A token is checked when a connection opens;
// this ends the connection when the token stops being good while it is open: at its expiry, or when
// the operator revokes its role's invites (on this process or, through the room's log, another).
// One sweep a second over the tokens due in that second, not a timer per connection: thousands of
// connections cost a map entry each, and a 14-day expiry needs no re-arming past setTimeout's 24.8 days.
import type { RoomEventLine } from '../../shared/protocol/chat.ts'
import { refuse, type Refusal } from '../../shared/protocol/errors.ts'
import type { Role } from '../../shared/protocol/room.ts'
import { EXPIRED_MESSAGE, REVOKED_MESSAGE, REVOKED_OBSERVER_MESSAGE, observerIdOf, type VerifiedToken } from './tokens.ts'

/** Why a watched connection is ended: `token_expired` or `revoked`, with the message the client shows. */
export type TokenEnd = Refusal

interface Watched {
  token: VerifiedToken
  end: (why: TokenEnd) => void
  /** The second the token stops being good (JWT `exp`: expired from that second on). */
  due: number
  done: boolean
}

export interface TokenWatchOptions {
  /** ms since epoch (tests move it). */
  now?: () => number
  /** Sweep interval; a token is ended at most this long after it expired. */
  tickMs?: number
  onError?: (err: unknown) => void
}

const ROLES = ['borrower', 'lender', 'observer'] as const
/** Revoked rooms remembered for connections that were opening meanwhile (a few hundred bytes each). */
const RECENT_ROOMS = 10_000

export class TokenWatch {
  private readonly byRoom = new Map<string, Set<Watched>>()
  private readonly due = new Map<number, Set<Watched>>()
  /**
   * The generations of the rooms revoked lately: a connection whose token was checked before a revocation but opens
   * after it (the room was loading meanwhile) is ended as it is watched. The oldest rooms are forgotten first.
   */
  private readonly recent = new Map<string, Readonly<Partial<Record<Role, number>>>>()
  /** The same for single observers revoked lately (room → observer ids). */
  private readonly recentObservers = new Map<string, Set<string>>()
  private readonly now: () => number
  private readonly timer: NodeJS.Timeout
  /** Every second up to this one has been swept. */
  private swept: number

  constructor(private readonly options: TokenWatchOptions = {}) {
    this.now = options.now ?? Date.now
    this.swept = Math.floor(this.now() / 1000)
    this.timer = setInterval(() => this.sweep(), options.tickMs ?? 1000)
    this.timer.unref()
  }

  /** Watches one connection's token; `end` closes that connection (called once at most). Returns the unwatch. */
  watch(token: VerifiedToken, end: (why: TokenEnd) => void): () => void {
    const w: Watched = { token, end, due: Math.floor(token.expiresAt / 1000), done: false }
    const observerId = observerIdOf(token)
    const observerRevoked = observerId !== undefined && (this.recentObservers.get(token.room)?.has(observerId) ?? false)
    const revoked = token.generation < (this.recent.get(token.room)?.[token.role] ?? 0)
    if (revoked || observerRevoked || w.due <= this.swept) {
      // Revoked or expired between its check and now: end it all the same, once the caller has set up.
      const why = revoked
        ? refuse('revoked', REVOKED_MESSAGE)
        : observerRevoked
          ? refuse('revoked', REVOKED_OBSERVER_MESSAGE)
          : refuse('token_expired', EXPIRED_MESSAGE)
      setImmediate(() => this.finish(w, why))
      return () => {
        w.done = true
      }
    }
    add(this.byRoom, token.room, w)
    add(this.due, w.due, w)
    return () => this.forget(w)
  }

  /** The room's invites were revoked: ends every watched connection whose token is below its role's generation now. */
  revoked(roomId: string, generations: Readonly<Partial<Record<Role, number>>>): number {
    const known = this.recent.get(roomId)
    const latest: Partial<Record<Role, number>> = { ...known }
    for (const role of ROLES) latest[role] = Math.max(known?.[role] ?? 0, generations[role] ?? 0)
    this.recent.delete(roomId)
    this.recent.set(roomId, latest)
    if (this.recent.size > RECENT_ROOMS) this.recent.delete(this.recent.keys().next().value!)
    let n = 0
    for (const w of [...(this.byRoom.get(roomId) ?? [])]) {
      if (w.token.generation < (generations[w.token.role] ?? 0)) {
        this.finish(w, refuse('revoked', REVOKED_MESSAGE))
        n++
      }
    }
    return n
  }

  /** One observer's invite was revoked: ends every watched connection of that observer (the others stay). */
  observerRevoked(roomId: string, observerId: string): number {
    let ids = this.recentObservers.get(roomId)
    if (!ids) this.recentObservers.set(roomId, (ids = new Set()))
    ids.add(observerId)
    if (this.recentObservers.size > RECENT_ROOMS) this.recentObservers.delete(this.recentObservers.keys().next().value!)
    let n = 0
    for (const w of [...(this.byRoom.get(roomId) ?? [])]) {
      if (observerIdOf(w.token) === observerId) {
        this.finish(w, refuse('revoked', REVOKED_OBSERVER_MESSAGE))
        n++
      }
    }
    return n
  }

  get size(): number {
    let n = 0
    for (const set of this.byRoom.values()) n += set.size
    return n
  }

  close(): void {
    clearInterval(this.timer)
  }

  private sweep(): void {
    const nowS = Math.floor(this.now() / 1000)
    for (let s = this.swept + 1; s <= nowS; s++) {
      const set = this.due.get(s)
      if (!set) continue
      for (const w of [...set]) this.finish(w, refuse('token_expired', EXPIRED_MESSAGE))
    }
    this.swept = Math.max(this.swept, nowS)
  }

  private finish(w: Watched, why: TokenEnd): void {
    if (w.done) return
    this.forget(w)
    try {
      w.end(why)
    } catch (err) {
      this.options.onError?.(err)
    }
  }

  private forget(w: Watched): void {
    w.done = true
    remove(this.byRoom, w.token.room, w)
    remove(this.due, w.due, w)
  }
}

/**
 * A room listener (RoomRegistry.subscribe) that hears each `revoked` line, this process's own or another's followed
 * from the room's log (REDIS_URL), and ends the connections here whose links it revoked; likewise each `observer_revoked`.
 */
export function revocationListener(watch: TokenWatch): { event(room: { id: string }, line: RoomEventLine): void } {
  return {
    event(room, line) {
      if (line.type === 'observer_revoked') {
        const id = line.params.observerId
        if (typeof id === 'string') watch.observerRevoked(room.id, id)
        return
      }
      const generations = line.params.generations
      if (line.type !== 'revoked' || !generations || typeof generations !== 'object') return
      const valid: Partial<Record<Role, number>> = {}
      for (const role of ROLES) {
        const g = (generations as Record<string, unknown>)[role]
        if (typeof g === 'number') valid[role] = g
      }
      watch.revoked(room.id, valid)
    },
  }
}

function add<K>(map: Map<K, Set<Watched>>, key: K, w: Watched): void {
  let set = map.get(key)
  if (!set) map.set(key, (set = new Set()))
  set.add(w)
}

function remove<K>(map: Map<K, Set<Watched>>, key: K, w: Watched): void {
  const set = map.get(key)
  if (!set) return
  set.delete(w)
  if (set.size === 0) map.delete(key)
}
