// Who is connected to the room, and the join/leave lines that say so in the log (debounced by PresenceLog).
import type { ClusterIdentity } from '../../shared/protocol/cluster.ts'
import type { EventType } from '../../shared/protocol/eventLog.ts'
import type { Actor, ObserverLabel, ObserverSide, Participant, Role } from '../../shared/protocol/room.ts'
import type { JsonPayload, PresenceRecord } from '../store/Store.ts'
import type { RoomSync } from './ClusterSync.ts'
import { IMMEDIATE_PRESENCE, PresenceLog, type PresenceTiming } from './PresenceLog.ts'

/** Who is connected: the identity carried by their token. */
export interface Identity {
  role: Role
  name: string
  label?: ObserverLabel
  /** An observer's side; left out for neutral. */
  side?: ObserverSide
}

/** The identity a room token carries (the transports' and the routes' one way of reading it). */
export function identityOf(token: Identity): Identity {
  return {
    role: token.role,
    name: token.name,
    ...(token.label ? { label: token.label } : {}),
    ...(token.side && token.side !== 'neutral' ? { side: token.side } : {}),
  }
}

/** An observer's label and side by role and name, for who the log shows as there when the room loads. */
export type ObserverLookup = (role: Role, name: string) => Pick<Identity, 'label' | 'side'>

/** What presence needs of its room. */
export interface PresenceHost {
  readonly broken: Error | null
  readonly isDisposed: boolean
  logSystem(actor: Actor, type: EventType, payload: JsonPayload): Promise<void>
  publishState(): void
  /** Other processes: who is connected there, whose turn a presence line is, and telling them who is here. */
  readonly sync: Pick<RoomSync, 'onlineElsewhere' | 'presenceTurn' | 'publishPresence' | 'catchUp'>
  breakDown(err: unknown, where: string): unknown
}

interface PresenceEntry {
  identity: Identity
  connections: Set<string>
}

const SETTLED: Promise<void> = Promise.resolve()

export function presenceKey(role: string, name: string): string {
  return `${role}\u0000${name}`
}

export class Presence {
  private readonly entries = new Map<string, PresenceEntry>()
  private readonly connectionKeys = new Map<string, string>()
  private readonly log: PresenceLog

  constructor(
    private readonly room: PresenceHost,
    timing: PresenceTiming = IMMEDIATE_PRESENCE,
  ) {
    this.log = new PresenceLog(timing)
  }

  /** Who the log shows as there when the room loads; `closeDangling`: their sessions ended with this (only) process. */
  restore(records: readonly PresenceRecord[], observer: ObserverLookup, closeDangling: boolean): void {
    for (const p of records) {
      if (p.role === 'system') continue
      const identity = identityOf({ role: p.role, name: p.name, ...observer(p.role, p.name) })
      this.entries.set(presenceKey(p.role, p.name), { identity, connections: new Set() })
      if (p.dangling) this.log.saw(presenceKey(p.role, p.name), 'join', 0)
      // The server stopped while they were connected: close their session in the log. With other processes
      // the connection may well be open on one of them: a lost node's sessions are closed by nodeLost().
      if (p.dangling && closeDangling) void this.logPresence(identity, 'leave', { reason: 'server_restart' })
    }
  }

  /**
   * A connection (Yjs or socket.io) opened; the first one of a participant logs a join, unless the log
   * still shows them (their leave is pending: it is folded away).
   */
  join(identity: Identity, connectionId: string): Promise<void> {
    const key = presenceKey(identity.role, identity.name)
    let entry = this.entries.get(key)
    if (!entry) this.entries.set(key, (entry = { identity, connections: new Set() }))
    const wasOnline = entry.connections.size > 0
    entry.connections.add(connectionId)
    this.connectionKeys.set(connectionId, key)
    if (wasOnline) return SETTLED
    this.room.sync.publishPresence(false)
    // Who is online is shown at once, whether or not a line is written.
    this.room.publishState()
    return this.reconcile(key, this.room.sync.presenceTurn())
  }

  /** A connection closed; the last one of a participant logs a leave, once they have stayed away (PresenceLog). */
  leave(connectionId: string): Promise<void> {
    const key = this.connectionKeys.get(connectionId)
    if (key === undefined) return SETTLED
    this.connectionKeys.delete(connectionId)
    const entry = this.entries.get(key)!
    entry.connections.delete(connectionId)
    if (entry.connections.size > 0) return SETTLED
    this.room.sync.publishPresence(false)
    if (this.room.isDisposed) return SETTLED
    this.room.publishState()
    return this.reconcile(key, this.log.leaveDelay(key, Date.now()) + this.room.sync.presenceTurn())
  }

  /** Writes the presence lines still pending now (the room unloads, or the server stops). */
  settle(): Promise<void> {
    return Promise.all(this.log.pending.map((key) => this.reconcile(key, 0, true))).then(() => {})
  }

  /** A join or leave line; the presence log knows of it at once, so this node never decides it twice. */
  logPresence(identity: Identity, type: 'join' | 'leave', payload: JsonPayload): Promise<void> {
    this.log.saw(presenceKey(identity.role, identity.name), type, Date.now())
    return this.room.logSystem({ role: identity.role, name: identity.name }, type, payload)
  }

  /** A join or leave line another process wrote. */
  saw(actor: Actor, type: 'join' | 'leave', ts: number): void {
    this.log.saw(presenceKey(actor.role, actor.name), type, ts)
  }

  /** Someone connected on another process: known here from now on (shown offline once they leave). */
  know(identity: ClusterIdentity): void {
    const key = presenceKey(identity.role, identity.name)
    if (!this.entries.has(key)) this.entries.set(key, { identity: { ...identity }, connections: new Set() })
  }

  connectedHere(key: string): boolean {
    return (this.entries.get(key)?.connections.size ?? 0) > 0
  }

  /** Who has a connection to this process. */
  onlineHere(): ClusterIdentity[] {
    const online: ClusterIdentity[] = []
    for (const { identity, connections } of this.entries.values()) if (connections.size > 0) online.push({ ...identity })
    return online
  }

  get connectionCount(): number {
    return this.connectionKeys.size
  }

  get participants(): Participant[] {
    return [...this.entries.values()].map(({ identity, connections }) => ({
      role: identity.role,
      name: identity.name,
      ...(identity.label ? { label: identity.label } : {}),
      ...(identity.side ? { side: identity.side } : {}),
      online: connections.size > 0 || this.room.sync.onlineElsewhere(presenceKey(identity.role, identity.name)),
    }))
  }

  dispose(): void {
    this.log.dispose()
  }

  /**
   * Brings the log in line with whether `key` is connected anywhere: a join, a leave, or nothing. After
   * `delayMs` (other processes' lines read first), else now; a leave waits out the join window unless `now`.
   */
  private reconcile(key: string, delayMs: number, now = false): Promise<void> {
    if (delayMs > 0) {
      this.log.schedule(key, delayMs, () => {
        void this.room.sync
          .catchUp()
          .catch(() => {})
          .then(() => this.reconcile(key, 0))
          .catch((err: unknown) => void this.room.breakDown(err, 'presence timer'))
      })
      return SETTLED
    }
    this.log.cancel(key)
    const entry = this.entries.get(key)
    if (!entry || this.room.broken || this.room.isDisposed) return SETTLED
    const online = entry.connections.size > 0 || this.room.sync.onlineElsewhere(key)
    if (online === this.log.present(key)) return SETTLED
    if (online) return this.logPresence(entry.identity, 'join', {})
    const wait = now ? 0 : this.log.windowLeft(key, Date.now())
    if (wait > 0) return this.reconcile(key, wait)
    return this.logPresence(entry.identity, 'leave', {})
  }
}
