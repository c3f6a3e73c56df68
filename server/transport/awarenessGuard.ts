// Awareness speaks only for its sender. A y-websocket awareness message is
// [n, (clientID, clock, JSON state)*]; each entry is judged here and only the accepted ones are
// re-encoded for the room, with `user` (name, role, colour, label) rewritten from the token.
//
// A connection owns the client ids it announced first. An entry for an id someone else holds is
// dropped without closing: the stock y-websocket client echoes every awareness change it hears,
// other people's included (its awareness 'update' handler re-broadcasts them, and its 30 s
// timeout sends removals for others), so closing on it would cut off honest browsers. Echoes
// never change anything anyway: they carry the clock the room already has.
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import type { Awareness } from 'y-protocols/awareness'
import {
  AWARENESS_IDS_PER_CONNECTION,
  AWARENESS_STATE_MAX_BYTES,
  ROLE_COLORS,
  type AwarenessState,
  type AwarenessUser,
} from '../../shared/protocol/awareness.ts'
import { refuse, type Refusal } from '../../shared/protocol/errors.ts'
import type { ActorRole } from '../../shared/protocol/room.ts'
import { validateAwarenessState } from '../../shared/schema/awareness.schema.ts'
import type { Identity } from '../room/Room.ts'

/** One connection, as the guard knows it (the transport's connection object is the key). */
export interface Speaker {
  readonly identity: Identity
}

/** What the guard needs of a room. */
export interface GuardedRoom {
  readonly awareness: Awareness
  /** The role that first wrote to the document with this Yjs client id, if any. */
  writerRole(client: number): ActorRole | undefined
}

export interface GuardLimits {
  /** Awareness client ids one connection may announce over its life. */
  idsPerConnection: number
  /** Largest state JSON accepted, in bytes. */
  stateBytes: number
  /** Client ids whose first speaker the room remembers after that speaker left. */
  remembered: number
  /** Entries in one message (a browser echoes the whole room's presence at most). */
  entriesPerMessage: number
}

export const DEFAULT_GUARD_LIMITS: GuardLimits = {
  idsPerConnection: AWARENESS_IDS_PER_CONNECTION,
  stateBytes: AWARENESS_STATE_MAX_BYTES,
  remembered: 4096,
  entriesPerMessage: 1024,
}

/** The entries of one message that may reach the room (null: none), and how many were dropped. */
export interface Filtered {
  ok: true
  update: Uint8Array | null
  dropped: number
}

interface Entry {
  client: number
  clock: number
  json: string
}

function identityKey(role: unknown, name: unknown, label: unknown): string {
  return `${String(role)}\u0000${String(name)}\u0000${label === undefined ? '' : String(label)}`
}

function keyOf(identity: Identity): string {
  return identityKey(identity.role, identity.name, identity.label)
}

/** The identity a relayed state carries (set by this or another server process), or null. */
function stateKey(state: unknown): string | null {
  const user = (state as { user?: { role?: unknown; name?: unknown; label?: unknown } } | null)?.user
  if (!user || typeof user !== 'object') return null
  return identityKey(user.role, user.name, user.label)
}

/** The presence fields every browser reads, from the token alone. */
export function userOf(identity: Identity): AwarenessUser {
  return { name: identity.name, role: identity.role, color: ROLE_COLORS[identity.role], ...(identity.label ? { label: identity.label } : {}) }
}

/** The entries, or null when there are more than `max` (not decoded further). Throws on malformed bytes. */
function decodeEntries(update: Uint8Array, max: number): Entry[] | null {
  const d = decoding.createDecoder(update)
  const n = decoding.readVarUint(d)
  if (n > max) return null
  const entries: Entry[] = []
  for (let i = 0; i < n; i++) {
    const client = decoding.readVarUint(d)
    const clock = decoding.readVarUint(d)
    const json = decoding.readVarString(d)
    entries.push({ client, clock, json })
  }
  if (decoding.hasContent(d)) throw new Error('trailing bytes after the awareness update')
  return entries
}

function encodeEntries(entries: Entry[]): Uint8Array {
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, entries.length)
  for (const { client, clock, json } of entries) {
    encoding.writeVarUint(e, client)
    encoding.writeVarUint(e, clock)
    encoding.writeVarString(e, json)
  }
  return encoding.toUint8Array(e)
}

export class AwarenessGuard {
  /** Client id → the live connection that speaks for it. */
  private readonly owner = new Map<number, Speaker>()
  /** Client id → identity of its first speaker, kept after it left (a reconnect keeps its id). */
  private readonly firstSpeaker = new Map<number, string>()
  /** Every id each connection announced over its life (its cap counts them). */
  private readonly spoken = new WeakMap<Speaker, Set<number>>()

  constructor(
    private readonly room: GuardedRoom,
    private readonly limits: GuardLimits = DEFAULT_GUARD_LIMITS,
  ) {}

  /**
   * Judges one awareness update from `speaker`: the entries it may make, re-encoded with the
   * identity rewritten; a refusal (the connection is to be closed) for a flood of ids or a state
   * that is not ours to relay. Throws on bytes that are not an awareness update.
   */
  filter(speaker: Speaker, update: Uint8Array): Filtered | Refusal {
    const entries = decodeEntries(update, this.limits.entriesPerMessage)
    if (!entries) return refuse('awareness_flood', `an awareness message carries at most ${this.limits.entriesPerMessage} clients`)
    const mine = this.idsOf(speaker)
    const accepted: Entry[] = []
    let dropped = 0
    for (const entry of entries) {
      const removal = entry.json === 'null'
      // y-protocols would ignore it too: an echo, or an old clock.
      if (!this.changes(entry.client, entry.clock, removal)) continue
      if (this.owner.get(entry.client) !== speaker) {
        // A removal speaks for nobody new; another's id is not ours to take.
        if (removal || !this.claimable(speaker, entry.client)) {
          dropped++
          continue
        }
        if (!mine.has(entry.client) && mine.size >= this.limits.idsPerConnection) {
          return refuse('awareness_flood', `a connection speaks for at most ${this.limits.idsPerConnection} awareness clients`)
        }
        this.claim(speaker, entry.client)
      }
      accepted.push(entry)
    }
    // Only now is any state parsed: a flood is refused on its ids alone.
    for (const [i, entry] of accepted.entries()) {
      if (entry.json === 'null') continue
      const state = this.rewrite(speaker, entry.json)
      if (typeof state !== 'string') return state
      accepted[i] = { ...entry, json: state }
    }
    return { ok: true, update: accepted.length > 0 ? encodeEntries(accepted) : null, dropped }
  }

  /** The connection is gone: it owns nothing any more; returns the ids whose states are to be removed. */
  release(speaker: Speaker): number[] {
    const ids: number[] = []
    for (const id of this.spoken.get(speaker) ?? []) {
      if (this.owner.get(id) !== speaker) continue
      this.owner.delete(id)
      if (this.room.awareness.getStates().has(id)) ids.push(id)
    }
    this.spoken.delete(speaker)
    return ids
  }

  /** Live client ids the connection speaks for. */
  owned(speaker: Speaker): number[] {
    return [...(this.spoken.get(speaker) ?? [])].filter((id) => this.owner.get(id) === speaker)
  }

  private idsOf(speaker: Speaker): Set<number> {
    let ids = this.spoken.get(speaker)
    if (!ids) {
      ids = new Set()
      this.spoken.set(speaker, ids)
    }
    return ids
  }

  /** The same test y-protocols' applyAwarenessUpdate makes before it changes a state. */
  private changes(client: number, clock: number, removal: boolean): boolean {
    const current = this.room.awareness.meta.get(client)?.clock ?? 0
    return current < clock || (current === clock && removal && this.room.awareness.getStates().has(client))
  }

  /**
   * Free, or held by the same person (a reconnect, here or on another server process, keeps its
   * Yjs client id): never an id another identity announced or wrote the document with.
   */
  private claimable(speaker: Speaker, client: number): boolean {
    if (client === this.room.awareness.clientID) return false
    const key = keyOf(speaker.identity)
    const holder = this.owner.get(client)
    if (holder && keyOf(holder.identity) !== key) return false
    const first = this.firstSpeaker.get(client)
    if (first !== undefined && first !== key) return false
    const writer = this.room.writerRole(client)
    if (writer !== undefined && writer !== speaker.identity.role) return false
    if (!holder) {
      // Held by a connection on another server process, which set its identity from a token.
      const state = this.room.awareness.getStates().get(client)
      if (state !== undefined && stateKey(state) !== key) return false
    }
    return true
  }

  private claim(speaker: Speaker, client: number): void {
    this.owner.set(client, speaker)
    this.idsOf(speaker).add(client)
    if (!this.firstSpeaker.has(client)) {
      this.firstSpeaker.set(client, keyOf(speaker.identity))
      this.forgetOldest()
    }
  }

  /** Bounded memory: the oldest ids nobody speaks for any more are forgotten first. */
  private forgetOldest(): void {
    if (this.firstSpeaker.size <= this.limits.remembered) return
    for (const id of this.firstSpeaker.keys()) {
      if (this.firstSpeaker.size <= this.limits.remembered) return
      if (!this.owner.has(id)) this.firstSpeaker.delete(id)
    }
  }

  /** The state as the room relays it: the client's known fields, `user` from the token. */
  private rewrite(speaker: Speaker, json: string): string | Refusal {
    if (Buffer.byteLength(json, 'utf8') > this.limits.stateBytes) {
      return refuse('invalid_awareness', `an awareness state is limited to ${this.limits.stateBytes} bytes`)
    }
    let parsed: unknown
    try {
      parsed = JSON.parse(json)
    } catch {
      return refuse('invalid_awareness', 'the awareness state is not JSON')
    }
    const checked = validateAwarenessState(parsed)
    if (!checked.ok) return refuse('invalid_awareness', checked.error)
    const state: AwarenessState = { ...checked.value, user: userOf(speaker.identity) }
    return JSON.stringify(state)
  }
}

const guards = new WeakMap<GuardedRoom, AwarenessGuard>()

/** The room's guard; it lives as long as the room object (a reloaded room starts a new one). */
export function awarenessGuard(room: GuardedRoom): AwarenessGuard {
  let guard = guards.get(room)
  if (!guard) {
    guard = new AwarenessGuard(room)
    guards.set(room, guard)
  }
  return guard
}
