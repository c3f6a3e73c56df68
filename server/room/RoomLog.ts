// The room's write path: appends in call order, the log head they advance, load-cache snapshots, and the
// one failure that breaks the room (nothing later may be written on top of a gap).
import type { Logger } from '../log.ts'
import {
  AppendRefusedError,
  type AppendOptions,
  type AppendResult,
  type NewEvent,
  type Snapshot,
  type StoredEvent,
  type Store,
} from '../store/Store.ts'
import { RoomFault } from './RoomFault.ts'

const SETTLED: Promise<void> = Promise.resolve()

/** Highest committed seq, the hash of its event (the head the agreement pins) and when it was written. */
export interface LogHead {
  seq: number
  hash: string
  ts: number
}

export interface RoomLogOptions {
  roomId: string
  store: Store
  log: Logger
  head: LogHead
  /** Take a snapshot once this many updates are stored since the last one. */
  snapshotEvery: number
  /** Every commit of this process, in order (other processes hear of it here). */
  committed(results: AppendResult[]): void
  /** A write failed, or an exception broke the room: it must be dropped and reloaded. */
  failed(error: Error): void
  /** The committed document, for a snapshot. */
  snapshot(): Snapshot
}

export class RoomLog {
  head: LogHead
  broken: Error | null = null
  updatesSinceSnapshot = 0
  private pendingWrites = 0
  private tail: Promise<void> = SETTLED
  private idleWaiters: (() => void)[] = []
  private stopped = false

  constructor(private readonly o: RoomLogOptions) {
    this.head = { ...o.head }
  }

  /** Moves the head to a committed event (ours or another process's), never back. */
  advance(e: StoredEvent): void {
    if (e.seq > this.head.seq) this.head = { seq: e.seq, hash: e.hash, ts: e.ts }
  }

  /** Appends through the store (which keeps call order per room); `refusable`: a refused lock breaks nothing. */
  write(events: NewEvent[], options?: AppendOptions, refusable = false): Promise<AppendResult[]> {
    if (this.broken) return Promise.reject(this.broken)
    this.pendingWrites++
    const p = this.o.store.append(this.o.roomId, events, options)
    const settled = p.then(
      (results) => {
        for (const r of results) if (!r.duplicate) this.advance(r.event)
        this.o.committed(results)
      },
      (err: unknown) => {
        // A lock the store refused by its rules broke nothing: the caller reverts its decision.
        if (refusable && err instanceof AppendRefusedError) return
        this.fail(err)
      },
    )
    this.tail = settled.then(() => this.writeDone())
    return p
  }

  fail(err: unknown): void {
    if (this.broken) return
    this.broken = err instanceof Error ? err : new Error(String(err))
    const fault = this.broken instanceof RoomFault
    this.o.log.error({ roomId: this.o.roomId, err: this.broken }, fault ? 'an exception broke the room; it will reload' : 'storage failure; the room will reload')
    this.o.failed(this.broken)
  }

  get pending(): number {
    return this.pendingWrites
  }

  /** Runs `fn` once every write started so far is committed (at once when none is pending). */
  afterCommitted(fn: () => void): void {
    if (this.pendingWrites === 0) fn()
    else void this.tail.then(fn)
  }

  whenIdle(): Promise<void> {
    if (this.pendingWrites === 0) return SETTLED
    return new Promise((resolve) => this.idleWaiters.push(resolve))
  }

  /** Writes a load-cache snapshot of the committed document (only when no write is pending). */
  async snapshot(): Promise<void> {
    if (this.pendingWrites > 0 || this.updatesSinceSnapshot === 0 || this.broken) return
    this.updatesSinceSnapshot = 0
    this.pendingWrites++
    try {
      await this.o.store.saveSnapshot(this.o.roomId, this.o.snapshot())
    } catch (err) {
      // Only a cache: loading replays the log instead.
      this.o.log.warn({ roomId: this.o.roomId, err }, 'snapshot failed')
    } finally {
      this.writeDone()
    }
  }

  /** No snapshot after the room is disposed. */
  stop(): void {
    this.stopped = true
  }

  private writeDone(): void {
    this.pendingWrites--
    if (this.pendingWrites > 0) return
    if (this.updatesSinceSnapshot >= this.o.snapshotEvery && !this.broken && !this.stopped) void this.snapshot()
    const waiters = this.idleWaiters
    this.idleWaiters = []
    for (const w of waiters) w()
  }
}
