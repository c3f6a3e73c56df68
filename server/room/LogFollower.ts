// Keeps one room's view of its log in seq order when several processes append to it (REDIS_URL).
// This node's own commits are already reflected in the room (it applied them before writing);
// other nodes' events arrive over pub/sub in any order, or not at all. Events are applied strictly
// by seq; a gap that does not fill by itself is read from the store, which is the truth.
import type { StoredEvent } from '../store/Store.ts'

export interface LogFollowerOptions {
  /** Every event up to this seq is already in the room (what it loaded). */
  applied: number
  /** Applies another node's committed event to the room; called in seq order, once per seq. */
  apply(e: StoredEvent): void
  /** The store's last seq of the room, and its events in a range. */
  head(): Promise<number>
  read(fromSeq: number, toSeq: number): Promise<StoredEvent[]>
  /** Resolves once none of this node's own writes is in flight (so all its seqs are known). */
  idle(): Promise<void>
  /** How long a gap may stay open before the store is asked (pub/sub normally fills it in milliseconds). */
  gapMs?: number
  onError(err: unknown): void
}

export class LogFollower {
  private appliedSeq: number
  /** Seqs this node committed that are not yet passed (an earlier seq of another node is missing). */
  private readonly own = new Set<number>()
  private readonly waiting = new Map<number, StoredEvent>()
  private timer: NodeJS.Timeout | null = null
  private catching: Promise<void> | null = null
  private stopped = false

  constructor(private readonly options: LogFollowerOptions) {
    this.appliedSeq = options.applied
  }

  /** Every event up to here is reflected in the room. */
  get applied(): number {
    return this.appliedSeq
  }

  /** Some seq is missing: events after it are held. */
  get hasGap(): boolean {
    return this.own.size > 0 || this.waiting.size > 0
  }

  /** This node's commits (already applied to the room). */
  committed(seqs: readonly number[]): void {
    for (const s of seqs) if (s > this.appliedSeq) this.own.add(s)
    this.drain()
  }

  /** Another node's committed events (duplicates and old ones are ignored). */
  received(events: readonly StoredEvent[]): void {
    for (const e of events) if (e.seq > this.appliedSeq && !this.own.has(e.seq)) this.waiting.set(e.seq, e)
    this.drain()
  }

  /** Reads what this node may have missed (after a resubscribe, a lost node, a long gap); resolves when applied. */
  catchUp(): Promise<void> {
    if (this.stopped) return Promise.resolve()
    this.catching ??= this.readMissing().finally(() => {
      this.catching = null
      this.drain()
    })
    return this.catching
  }

  /** Resolves once no gap is open (reading from the store at once if one is). */
  settled(): Promise<void> {
    return this.hasGap ? this.catchUp() : Promise.resolve()
  }

  stop(): void {
    this.stopped = true
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    this.waiting.clear()
  }

  private drain(): void {
    if (this.stopped) return
    for (;;) {
      const next = this.appliedSeq + 1
      if (this.own.delete(next)) {
        this.appliedSeq = next
        continue
      }
      const e = this.waiting.get(next)
      if (!e) break
      this.waiting.delete(next)
      this.appliedSeq = next
      try {
        this.options.apply(e)
      } catch (err) {
        this.options.onError(err)
      }
    }
    if (!this.hasGap) {
      if (this.timer) clearTimeout(this.timer)
      this.timer = null
    } else if (!this.timer && !this.catching) {
      this.timer = setTimeout(() => {
        this.timer = null
        if (this.hasGap) void this.catchUp()
      }, this.options.gapMs ?? 200)
      this.timer.unref()
    }
  }

  private async readMissing(): Promise<void> {
    try {
      const head = await this.options.head()
      if (head <= this.appliedSeq) return
      const events = await this.options.read(this.appliedSeq + 1, head)
      // An own write may have committed inside that range while we read: wait until its seq is known,
      // so that received() recognises it as ours and does not apply it a second time.
      await this.options.idle()
      if (!this.stopped) this.received(events)
    } catch (err) {
      this.options.onError(err)
    }
  }
}
