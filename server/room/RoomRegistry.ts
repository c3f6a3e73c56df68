// Loads rooms on first use and unloads them when idle: no connection left and no write
// pending (Hocuspocus #995), after roomIdleMs. Listeners of all rooms subscribe here once.
import type { RoomMessage } from '../cluster/Fanout.ts'
import { loadRoom } from './loadRoom.ts'
import type { Room } from './Room.ts'
import { RoomFault } from './RoomFault.ts'
import type { RoomListener } from './RoomListener.ts'
import type { RoomSettings } from './RoomSettings.ts'

/** The settings every room opens with (RoomSettings), and how long an unused room stays loaded. */
export interface RegistryOptions extends RoomSettings {
  idleMs: number
}

/** A hold on a loaded room; release it exactly once when the connection or request ends. */
export interface Lease {
  room: Room
  release(): void
}

interface Entry {
  id: string
  loading: Promise<Room | null>
  room: Room | null
  refs: number
  timer: NodeJS.Timeout | null
  unloading: Promise<void> | null
  /** Other nodes' messages that arrived while the room was loading (subscribed first, so none is missed). */
  early: RoomMessage[] | null
}

export class RoomRegistry {
  private readonly entries = new Map<string, Entry>()
  private readonly listeners = new Set<Partial<RoomListener>>()
  private closed = false
  /** Fans every room's events out to the subscribed transports. */
  private readonly hub: RoomListener

  constructor(private readonly options: RegistryOptions) {
    const each = <K extends keyof RoomListener>(k: K, ...args: Parameters<RoomListener[K]>): void => {
      for (const l of this.listeners) {
        const fn = l[k] as ((...a: Parameters<RoomListener[K]>) => void) | undefined
        if (!fn) continue
        try {
          fn(...args)
        } catch (err) {
          this.options.log.error({ err, event: k }, 'room listener threw')
        }
      }
    }
    this.hub = {
      update: (...a) => each('update', ...a),
      chat: (...a) => each('chat', ...a),
      event: (...a) => each('event', ...a),
      state: (...a) => each('state', ...a),
      failed: (room, err) => {
        this.evict(room)
        each('failed', room, err)
      },
      watching: (room) => {
        for (const l of this.listeners) if (l.watching?.(room)) return true
        return false
      },
    }
  }

  subscribe(listener: Partial<RoomListener>): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** Loads (or finds) the room and holds it in memory until released; null for an unknown room. */
  async acquire(id: string): Promise<Lease | null> {
    for (;;) {
      if (this.closed) throw new Error('registry is closed')
      let entry = this.entries.get(id)
      if (entry?.unloading) {
        await entry.unloading
        continue
      }
      if (!entry) entry = this.startLoad(id)
      entry.refs++
      if (entry.timer) {
        clearTimeout(entry.timer)
        entry.timer = null
      }
      let room: Room | null
      try {
        room = await entry.loading
      } catch (err) {
        entry.refs--
        throw err
      }
      if (!room) {
        entry.refs--
        return null
      }
      if (room.broken || this.entries.get(id) !== entry) {
        // Evicted while we waited: take the fresh one.
        entry.refs--
        continue
      }
      let released = false
      return {
        room,
        release: () => {
          if (released) return
          released = true
          this.release(entry)
        },
      }
    }
  }

  /** Runs fn with the room loaded (an HTTP request); null when the room does not exist. */
  async withRoom<T>(id: string, fn: (room: Room) => T | Promise<T>): Promise<T | null> {
    const lease = await this.acquire(id)
    if (!lease) return null
    try {
      return await fn(lease.room)
    } catch (err) {
      // The route's error handler answers 503 room_broken (server/http/errors.ts); other rooms go on.
      throw lease.room.breakDown(err, 'http')
    } finally {
      lease.release()
    }
  }

  /** The room if it is in memory right now. */
  loaded(id: string): Room | undefined {
    return this.entries.get(id)?.room ?? undefined
  }

  get loadedCount(): number {
    let n = 0
    for (const e of this.entries.values()) if (e.room) n++
    return n
  }

  /** Unloads every room now (server shutdown): waits for pending writes, snapshots, frees. */
  async close(): Promise<void> {
    this.closed = true
    await Promise.all([...this.entries.values()].map((e) => this.unload(e, true)))
  }

  /** Routes a message from another node to the room it is about, if this node has it. */
  handle(roomId: string, m: RoomMessage): void {
    const entry = this.entries.get(roomId)
    if (!entry || entry.unloading) return
    if (entry.room) entry.room.sync.receive(m)
    else entry.early?.push(m)
  }

  /** A node stopped: every loaded room forgets its connections and reads what it may not have published. */
  nodeLost(node: string): void {
    for (const e of this.entries.values()) if (e.room && !e.unloading) e.room.sync.nodeLost(node)
  }

  /** Pub/sub was interrupted: every loaded room reads what it missed from the store. */
  catchUpAll(): void {
    for (const e of this.entries.values()) if (e.room && !e.unloading) void e.room.sync.catchUp()
  }

  private startLoad(id: string): Entry {
    const cluster = this.options.cluster
    const entry: Entry = { id, loading: Promise.resolve(null), room: null, refs: 0, timer: null, unloading: null, early: cluster ? [] : null }
    // Subscribed before the load reads the store: every event committed after that read is then heard of.
    const subscribed = cluster ? cluster.subscribe(id) : Promise.resolve()
    entry.loading = subscribed
      .then(() => loadRoom(id, { ...this.options, listener: this.hub }))
      .then(
        (room) => {
          entry.room = room
          if (!room && this.entries.get(id) === entry) {
            this.entries.delete(id)
            void cluster?.unsubscribe(id)
          } else if (room) {
            this.options.log.debug({ roomId: id }, 'room loaded')
            const early = entry.early ?? []
            entry.early = null
            for (const m of early) room.sync.receive(m)
            room.sync.publishPresence(true)
          }
          return room
        },
        (err: unknown) => {
          if (this.entries.get(id) === entry) this.entries.delete(id)
          void cluster?.unsubscribe(id)
          this.options.log.error({ roomId: id, err }, 'room failed to load')
          // Carries the room id to whoever answers (503 room_broken); the next acquire tries again.
          throw err instanceof RoomFault ? err : new RoomFault(id, 'load', err)
        },
      )
    this.entries.set(id, entry)
    return entry
  }

  private release(entry: Entry): void {
    entry.refs--
    if (entry.refs > 0 || this.entries.get(entry.id) !== entry || this.closed) return
    if (entry.timer) clearTimeout(entry.timer)
    entry.timer = setTimeout(() => {
      entry.timer = null
      void this.unload(entry, false)
    }, this.options.idleMs)
    entry.timer.unref()
  }

  private unload(entry: Entry, force: boolean): Promise<void> {
    if (entry.unloading) return entry.unloading
    if (entry.timer) {
      clearTimeout(entry.timer)
      entry.timer = null
    }
    if (!force && entry.refs > 0) return Promise.resolve()
    entry.unloading = (async () => {
      const room = await entry.loading.catch(() => null)
      if (room) {
        await room.settlePresence()
        await room.whenIdle()
        await room.snapshot()
        room.dispose()
        this.options.log.debug({ roomId: entry.id }, 'room unloaded')
      }
      if (this.entries.get(entry.id) === entry) {
        this.entries.delete(entry.id)
        await this.options.cluster?.unsubscribe(entry.id).catch(() => {})
      }
    })()
    return entry.unloading
  }

  /** A room whose write failed is dropped at once; the next acquire loads it from the store. */
  private evict(room: Room): void {
    const entry = this.entries.get(room.id)
    if (entry?.room === room) {
      if (entry.timer) clearTimeout(entry.timer)
      this.entries.delete(room.id)
      // Called now, before any await: a reload's subscribe comes after this unsubscribe, in order on the connection.
      void this.options.cluster?.unsubscribe(room.id).catch(() => {})
    }
    // Let in-flight writes settle before freeing the document.
    void room.whenIdle().then(() => room.dispose())
  }
}
