// Other server processes append to the same room (REDIS_URL). Like Hocuspocus keeps Redis in an extension,
// the room never asks "am I clustered?": it calls its RoomSync at a few seams, and a single process gets SOLO.
import { fromBase64, toBase64 } from 'lib0/buffer'
import { applyAwarenessUpdate, encodeAwarenessUpdate } from 'y-protocols/awareness'
import { readContent, type RoomContent } from '../../shared/document/roomDoc.ts'
import type { ClusterIdentity } from '../../shared/protocol/cluster.ts'
import { actorOf } from '../../shared/protocol/room.ts'
import type { Fanout, RoomMessage } from '../cluster/Fanout.ts'
import { fromArchiveEvent, toArchiveEvent, type AppendOptions, type AppendResult, type JsonPayload, type StoredEvent } from '../store/Store.ts'
import { clearedPayload } from './clearedPayload.ts'
import { fromConfirmEvent } from './Confirmations.ts'
import { toAttachmentInfo, toChatMessage } from './eventViews.ts'
import { LogFollower } from './LogFollower.ts'
import { presenceKey } from './Presence.ts'
import type { Room } from './Room.ts'

/** The origin of changes that another server process committed (never a local connection). */
export const REMOTE_ORIGIN: unique symbol = Symbol('remote')

/** With other processes, each waits its turn (by node id) before a presence line: the first one's is then read, not doubled. */
const PRESENCE_TURN_MS = 500

const SETTLED: Promise<void> = Promise.resolve()

/** The seams where a room meets the other processes that append to its log. */
export interface RoomSync {
  /** Sessions the log shows open when the room loads ended with this process (a single process: they did). */
  readonly closesDanglingSessions: boolean
  /** Resolves once the room may decide on the whole log; null when it already may (a single process). */
  beforeDecision(): Promise<void> | null
  /** What makes the store refuse a lock when another process changed something the lock did not see. */
  lockCondition(): Pick<AppendOptions, 'ifNoChangeAfter'>
  /** This process committed these events. */
  committed(results: AppendResult[]): void
  /** The seq a snapshot may claim (with gaps in what other processes wrote, the last one applied in order). */
  snapshotSeq(lastSeq: number): number
  presenceTurn(): number
  onlineElsewhere(key: string): boolean
  publishPresence(ask: boolean): void
  catchUp(): Promise<void>
  receive(m: RoomMessage): void
  nodeLost(node: string): void
  stop(): void
}

/** One process: the room is the whole truth, and every seam is a no-op. */
export const SOLO: RoomSync = {
  closesDanglingSessions: true,
  beforeDecision: () => null,
  lockCondition: () => ({}),
  committed: () => {},
  snapshotSeq: (lastSeq) => lastSeq,
  presenceTurn: () => 0,
  onlineElsewhere: () => false,
  publishPresence: () => {},
  catchUp: () => SETTLED,
  receive: () => {},
  nodeLost: () => {},
  stop: () => {},
}

export class ClusterSync implements RoomSync {
  readonly closesDanglingSessions = false
  /** The log in seq order, other nodes' events applied as they come. */
  private readonly follower: LogFollower
  /** Who is connected on each other node. */
  private readonly remoteOnline = new Map<string, ClusterIdentity[]>()
  /** Seq of each party's standing confirmation, and which of those seqs this node wrote (who locks a pair). */
  private readonly confirmSeq = new Map<string, number>()
  private readonly ownConfirmSeqs = new Set<number>()
  private locking = false

  constructor(
    private readonly room: Room,
    private readonly fanout: Fanout,
  ) {
    this.follower = new LogFollower({
      applied: room.lastSeq,
      apply: (e) => this.applyRemote(e),
      head: async () => (await room.store.getRoom(room.id))?.lastSeq ?? 0,
      read: (fromSeq, toSeq) => room.store.readEvents(room.id, { fromSeq, toSeq }),
      idle: () => room.whenIdle(),
      onError: (err) => room.log.error({ roomId: room.id, err }, 'could not follow the room log of other processes'),
    })
    // Awareness is never stored: what this node's connections say goes to the other nodes as it is.
    room.awareness.on('update', ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => {
      if (origin === REMOTE_ORIGIN || room.isDisposed) return
      const changed = [...added, ...updated, ...removed]
      if (changed.length === 0) return
      fanout.publish({ kind: 'awareness', node: fanout.nodeId, roomId: room.id, update: toBase64(encodeAwarenessUpdate(room.awareness, changed)) })
    })
  }

  beforeDecision(): Promise<void> {
    return this.caughtUp()
  }

  lockCondition(): Pick<AppendOptions, 'ifNoChangeAfter'> {
    // Another process may have changed the content or a confirmation since what this one saw: then no lock.
    return { ifNoChangeAfter: this.follower.applied }
  }

  snapshotSeq(): number {
    // Events after a gap may be in the document already: replaying them again is harmless, skipping the missing one is not.
    return this.follower.applied
  }

  /** This node's commit: tell the follower and the other nodes; a confirmation may complete a pair. */
  committed(results: AppendResult[]): void {
    const fresh = results.filter((r) => !r.duplicate).map((r) => r.event)
    if (fresh.length === 0) return
    let confirmed = false
    for (const e of fresh) {
      if (e.type !== 'confirm') continue
      this.confirmSeq.set(e.actor.role, e.seq)
      this.ownConfirmSeqs.add(e.seq)
      confirmed = true
    }
    this.follower.committed(fresh.map((e) => e.seq))
    for (let i = 0; i < fresh.length; i += 64) {
      this.publish({ kind: 'events', node: this.fanout.nodeId, roomId: this.room.id, events: fresh.slice(i, i + 64).map(toArchiveEvent) })
    }
    // The other party's confirmation may have come in while ours was being written.
    if (confirmed) this.lockIfPaired()
  }

  /** This node's turn among the live ones, so two deciding the same presence line at once write it once. */
  presenceTurn(): number {
    return Math.max([...this.fanout.aliveNodes()].sort().indexOf(this.fanout.nodeId), 0) * PRESENCE_TURN_MS
  }

  onlineElsewhere(key: string): boolean {
    for (const online of this.remoteOnline.values()) if (online.some((i) => presenceKey(i.role, i.name) === key)) return true
    return false
  }

  /** Tells the other nodes who is connected here (and, with `ask`, asks for theirs). */
  publishPresence(ask: boolean): void {
    if (this.room.isDisposed) return
    this.publish({ kind: 'presence', node: this.fanout.nodeId, roomId: this.room.id, online: this.room.presence.onlineHere(), ask })
  }

  /** Reads what this node may have missed from the store (pub/sub lost messages, or a node died before publishing). */
  catchUp(): Promise<void> {
    return this.follower.catchUp()
  }

  /** A message about this room from another node. */
  receive(m: RoomMessage): void {
    const room = this.room
    if (room.isDisposed) return
    switch (m.kind) {
      case 'events':
        this.follower.received(m.events.map((e) => fromArchiveEvent(room.id, e)))
        return
      case 'awareness':
        try {
          applyAwarenessUpdate(room.awareness, fromBase64(m.update), REMOTE_ORIGIN)
        } catch (err) {
          room.log.warn({ roomId: room.id, node: m.node, err }, 'undecodable awareness from another node dropped')
        }
        return
      case 'presence': {
        const before = this.remoteOnline.get(m.node)
        if (m.online.length > 0) this.remoteOnline.set(m.node, m.online)
        else this.remoteOnline.delete(m.node)
        for (const identity of m.online) room.presence.know(identity)
        if (m.ask) this.publishPresence(false)
        if (JSON.stringify(before ?? []) !== JSON.stringify(m.online)) room.publishState()
        return
      }
    }
  }

  /** A node stopped: its connections are gone. The lowest surviving node that knew of them logs their leave. */
  nodeLost(node: string): void {
    const room = this.room
    const gone = this.remoteOnline.get(node)
    if (room.isDisposed) return
    void this.catchUp()
    if (!gone) return
    this.remoteOnline.delete(node)
    const alive = this.fanout.aliveNodes()
    const candidates = [this.fanout.nodeId, ...this.remoteOnline.keys()].filter((n) => alive.has(n)).sort()
    if (candidates[0] === this.fanout.nodeId) {
      for (const identity of gone) {
        const key = presenceKey(identity.role, identity.name)
        // Written even when its join is not in the log: that node may have died while waiting its turn to write it.
        if (room.presence.connectedHere(key) || this.onlineElsewhere(key)) continue
        void room.presence.logPresence(identity, 'leave', { reason: 'server_lost' })
      }
    }
    room.publishState()
  }

  stop(): void {
    this.follower.stop()
  }

  private publish(m: RoomMessage): void {
    this.fanout.publish(m)
  }

  /** Resolves once this node's writes are committed and no other node's event is missing (a few tries). */
  private async caughtUp(): Promise<void> {
    for (let i = 0; i < 5 && (this.room.pendingWrites > 0 || this.follower.hasGap); i++) {
      await this.room.whenIdle()
      await this.follower.settled()
    }
  }

  /** Another node's committed event, in seq order: the room becomes what the log says. */
  private applyRemote(e: StoredEvent): void {
    const room = this.room
    if (room.isDisposed) return
    room.advance(e)
    switch (e.type) {
      case 'update': {
        const update = e.payload as Uint8Array
        // What standing confirmations were given on, for the 'cleared' line this node may have to write.
        const before = room.confirmations.length > 0 ? readContent(room.doc) : null
        const changed = room.gate.absorb(update, e.actor.role, REMOTE_ORIGIN) !== null
        room.countUpdate()
        if (!changed) return
        room.contentChanged()
        room.listener.update(room, update, REMOTE_ORIGIN)
        if (room.confirmations.length > 0) this.dropStaleConfirmations(e, before)
        else room.scheduleState()
        return
      }
      case 'chat':
        room.chat.show(toChatMessage(e))
        return
      case 'confirm': {
        const c = fromConfirmEvent(e)
        if (c && room.decisions.absorbConfirm(c)) this.confirmSeq.set(c.role, e.seq)
        break
      }
      case 'withdraw':
      case 'cleared':
        room.decisions.absorbRemoval(e)
        break
      case 'lock':
        room.decisions.absorbLock(e.payload as JsonPayload)
        break
      case 'rating':
        room.feedback.absorb(e)
        break
      case 'paused':
      case 'resumed':
        room.coolingOff.absorb(e)
        break
      case 'amend': {
        const p = e.payload as JsonPayload
        if (typeof p.roomId === 'string' && !room.amendments.includes(p.roomId)) room.amendments.push(p.roomId)
        break
      }
      case 'attachment':
        room.evidence.remember(toAttachmentInfo(e))
        break
      case 'join':
      case 'leave':
        room.presence.saw(e.actor, e.type, e.ts)
        break
      default:
        break
    }
    room.publishLine(e)
    room.publishState()
    if (e.type === 'confirm') this.lockIfPaired()
  }

  /**
   * Another node's change of content made standing confirmations stale. If one of them was written here, this
   * node logs that they were cleared (the other node may not have known of it when it wrote the change).
   */
  private dropStaleConfirmations(update: StoredEvent, before: RoomContent | null): void {
    const room = this.room
    const stale = room.decisions.dropStale()
    if (stale.length === 0) return room.scheduleState()
    room.publishState()
    const mine = stale.filter((c) => this.ownConfirmSeqs.has(this.confirmSeq.get(c.role) ?? -1))
    if (mine.length === 0) return
    // Compared now, with the document as this update left it (later updates would say more than this change did).
    const payload = clearedPayload(mine, before, readContent(room.doc))
    // A node that knew of the confirmation wrote 'cleared' in the same transaction as the update (the next seq).
    void room.store.readEvents(room.id, { fromSeq: update.seq + 1, toSeq: update.seq + 1 }).then(
      ([next]) => {
        if (next?.type === 'cleared' || room.isDisposed || room.broken) return
        const who = actorOf(update.actor)
        return room.logSystem(who, 'cleared', payload)
      },
      (err: unknown) => room.log.warn({ roomId: room.id, err }, 'could not check whether a change was logged as clearing confirmations'),
    )
  }

  /**
   * Both parties stand confirmed on the current content, the later confirmation written by this node, which did
   * not know of the earlier one when it wrote it: this node locks (the other one waits for the lock event).
   */
  private lockIfPaired(): void {
    const room = this.room
    if (this.locking || room.phase !== 'negotiating') return
    const hash = room.currentHash
    const pair = room.confirmations.filter((c) => c.hash === hash)
    if (pair.length < 2) return
    const later = Math.max(...pair.map((c) => this.confirmSeq.get(c.role) ?? -1))
    if (!this.ownConfirmSeqs.has(later)) return
    this.locking = true
    void this.caughtUp()
      .then(() => {
        if (room.phase !== 'negotiating' || room.broken || room.isDisposed) return
        const now = room.confirmations.filter((c) => c.hash === room.currentHash)
        if (now.length < 2) return
        const [first, second] = [...now].sort((a, b) => (this.confirmSeq.get(a.role) ?? 0) - (this.confirmSeq.get(b.role) ?? 0))
        return room.decisions.lockPair(first!, second!)
      })
      .finally(() => {
        this.locking = false
      })
  }
}
