// A Store whose appends and loads a test can hold back or fail, in front of a real store. It keeps the Store
// contract a failing database has: once an append of a room failed, later ones fail too until loadRoom.
import type { EventType } from '../../shared/protocol/eventLog.ts'
import type { Role } from '../../shared/protocol/room.ts'
import type {
  AppendOptions,
  AppendResult,
  EventRange,
  InviteGenerations,
  LoadedRoom,
  NewEvent,
  NewRoom,
  RoomRecord,
  Snapshot,
  Store,
  StoredEvent,
} from '../../server/store/Store.ts'

/** Appends held back until release() (committed then, in call order) or fail() (every held one fails). */
export interface Hold {
  release(): void
  fail(err: Error): void
}

export class ControlledStore implements Store {
  /** While set, every append fails with it (and the room's later appends until it is loaded again). */
  failAppends: Error | null = null
  /** The next loadRoom fails with it (once). */
  failNextLoad: Error | null = null
  /** loadRoom calls so far. */
  loads = 0
  /** Appends that reached the real store. */
  appended = 0
  private gate: Promise<void> | null = null
  private readonly brokenRooms = new Set<string>()

  constructor(readonly inner: Store) {}

  get outbox(): Store['outbox'] {
    return this.inner.outbox
  }

  get orgs(): Store['orgs'] {
    return this.inner.orgs
  }

  /** Holds every append from now on until the hold is released or failed. */
  hold(): Hold {
    let open!: () => void
    this.gate = new Promise<void>((resolve) => (open = resolve))
    return {
      release: () => {
        this.gate = null
        open()
      },
      fail: (err) => {
        this.failAppends = err
        this.gate = null
        open()
      },
    }
  }

  async append(roomId: string, events: NewEvent[], options?: AppendOptions): Promise<AppendResult[]> {
    if (this.gate) await this.gate
    if (this.brokenRooms.has(roomId)) throw new Error('an earlier append failed: load the room again first')
    if (this.failAppends) {
      this.brokenRooms.add(roomId)
      throw this.failAppends
    }
    this.appended++
    return this.inner.append(roomId, events, options)
  }

  loadRoom(id: string, historyLimit: number): Promise<LoadedRoom | null> {
    this.loads++
    const err = this.failNextLoad
    if (err) {
      this.failNextLoad = null
      return Promise.reject(err)
    }
    this.brokenRooms.delete(id)
    return this.inner.loadRoom(id, historyLimit)
  }

  createRoom(room: NewRoom, events: NewEvent[]): Promise<RoomRecord> {
    return this.inner.createRoom(room, events)
  }
  getRoom(id: string): Promise<RoomRecord | null> {
    return this.inner.getRoom(id)
  }
  listRooms(): Promise<RoomRecord[]> {
    return this.inner.listRooms()
  }
  resume(roomId: string): Promise<void> {
    return this.inner.resume(roomId)
  }
  saveSnapshot(roomId: string, snapshot: Snapshot): Promise<void> {
    return this.inner.saveSnapshot(roomId, snapshot)
  }
  readEvents(roomId: string, range?: EventRange): Promise<StoredEvent[]> {
    return this.inner.readEvents(roomId, range)
  }
  readEventsOfType(roomId: string, type: Exclude<EventType, 'update'>): Promise<StoredEvent[]> {
    return this.inner.readEventsOfType(roomId, type)
  }
  revokeInvites(roomId: string, roles: readonly Role[]): Promise<InviteGenerations | null> {
    return this.inner.revokeInvites(roomId, roles)
  }
  inviteGenerations(roomId: string): Promise<InviteGenerations> {
    return this.inner.inviteGenerations(roomId)
  }
  close(): Promise<void> {
    return this.inner.close()
  }
}
