// What the room tests in server/room/ set up again and again: the parties, the terms a room is created
// with, a listener that records what the room says, a client document in sync with a room, and
// registries that share one store and an in-process fan-out, as server processes share a database and Redis.
import { pino } from 'pino'
import * as Y from 'yjs'
import type { ChatMessage, RoomEventLine } from '../../../shared/protocol/chat.ts'
import type { Actor, Role, RoomState } from '../../../shared/protocol/room.ts'
import { SqliteStore } from '../../../server/store/SqliteStore.ts'
import type { Store } from '../../../server/store/Store.ts'
import { createRoom, type CreateRoomInput } from '../../../server/room/createRoom.ts'
import { loadRoom } from '../../../server/room/loadRoom.ts'
import type { Room } from '../../../server/room/Room.ts'
import type { RoomListener } from '../../../server/room/RoomListener.ts'
import type { RoomSettings } from '../../../server/room/RoomSettings.ts'
import { RoomRegistry, type Lease, type RegistryOptions } from '../../../server/room/RoomRegistry.ts'
import { LocalHub, type LocalFanout } from '../cluster/LocalFanout.ts'

export const silentLog = pino({ level: 'silent' })

/** A participant: an actor that can also connect (no 'system' role). */
type Participant = Actor & { role: Role }

export const borrower: Participant = { role: 'borrower', name: 'Bo' }
export const lender: Participant = { role: 'lender', name: 'Li' }
export const observer: Participant = { role: 'observer', name: 'Mediator' }

export const sampleTerms = { principal: 1_000_000, annualRatePct: '4.35', termMonths: 12, method: 'annuity' as const }

/** Invites for both parties, as a room created by an operator for a borrower and a lender. */
export const bothParties: CreateRoomInput['invites'] = [
  { role: 'borrower', name: 'Bo' },
  { role: 'lender', name: 'Li' },
]

/** Creates a room with the sample terms in `store` and returns its id. */
export async function createSampleRoom(store: Store, invites: CreateRoomInput['invites'] = []): Promise<string> {
  return (await createRoom(store, { title: 'T', currency: 'CNY', terms: sampleTerms, invites })).id
}

/** Everything a room tells its listener, in order. */
export interface Heard {
  updates: { update: Uint8Array; origin: unknown }[]
  chat: ChatMessage[]
  events: RoomEventLine[]
  states: RoomState[]
  failed: Error[]
}

export function nothingHeard(): Heard {
  return { updates: [], chat: [], events: [], states: [], failed: [] }
}

export function recordingListener(heard: Heard): RoomListener {
  return {
    update: (_r, update, origin) => heard.updates.push({ update, origin }),
    chat: (_r, m) => heard.chat.push(m),
    event: (_r, e) => heard.events.push(e),
    state: (_r, s) => heard.states.push(s),
    failed: (_r, e) => heard.failed.push(e),
    watching: () => true,
  }
}

/** Loads room `id` from `store` as a server would, telling `heard` all it says; states are debounced 5 ms. */
export async function openRoom(store: Store, id: string, heard: Heard, settings: Partial<Omit<RoomSettings, 'store' | 'log'>> = {}): Promise<Room> {
  return (await loadRoom(id, { store, log: silentLog, listener: recordingListener(heard), snapshotEvery: 1000, stateDebounceMs: 5, ...settings }))!
}

export interface SyncedClient {
  doc: Y.Doc
  /** The update this client would send for `fn`. */
  edit(fn: (doc: Y.Doc) => void): Uint8Array
}

/** A client document in sync with the room as it is now. */
export function syncedClient(room: Room): SyncedClient {
  const doc = new Y.Doc()
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(room.doc))
  return {
    doc,
    edit(fn) {
      let out: Uint8Array | null = null
      const h = (u: Uint8Array): void => {
        out = out ? Y.mergeUpdates([out, u]) : u
      }
      doc.on('update', h)
      fn(doc)
      doc.off('update', h)
      if (!out) throw new Error('edit changed nothing')
      return out
    },
  }
}

/** A registry on node `id` of an in-process cluster; the hub delivers the other nodes' messages to it. */
export function clusterRegistry(hub: LocalHub, id: string, options: Omit<RegistryOptions, 'cluster'>): { registry: RoomRegistry; fanout: LocalFanout } {
  // The fan-out is joined before the registry exists, so its deliveries look the registry up late.
  let registry: RoomRegistry | null = null
  const fanout = hub.join(id, (rid, m) => registry?.handle(rid, m))
  registry = new RoomRegistry({ ...options, cluster: fanout })
  return { registry, fanout }
}

/**
 * Server processes of one cluster inside this process: each joined node is a registry over the same
 * in-memory store, talking through `hub`, with a lease on the one room both parties are invited to.
 */
export class LocalCluster {
  readonly hub = new LocalHub()
  private readonly joined: { registry: RoomRegistry; lease: Lease }[] = []

  private constructor(
    readonly store: SqliteStore,
    readonly roomId: string,
  ) {}

  static async start(): Promise<LocalCluster> {
    const store = new SqliteStore(':memory:')
    return new LocalCluster(store, await createSampleRoom(store, bothParties))
  }

  /** A node that hears the room through `listener` from its load on. */
  async join(id: string, listener: Partial<RoomListener>, settings: Partial<Omit<RegistryOptions, 'cluster'>> = {}): Promise<{ registry: RoomRegistry; lease: Lease }> {
    const { registry } = clusterRegistry(this.hub, id, { store: this.store, log: silentLog, idleMs: 60_000, snapshotEvery: 1000, stateDebounceMs: 5, ...settings })
    registry.subscribe(listener)
    const lease = (await registry.acquire(this.roomId))!
    this.joined.push({ registry, lease })
    return { registry, lease }
  }

  async close(): Promise<void> {
    for (const { registry, lease } of this.joined) {
      lease.release()
      await registry.close()
    }
    await this.store.close()
  }
}
