// room:state: built from the room, handed to the listener only when someone watches and it changed, and
// coalesced while someone types (the content hash is recomputed at most once per debounce).
import type { RoomState } from '../../shared/protocol/room.ts'
import { publicConfirmation } from './Confirmations.ts'
import type { Room } from './Room.ts'

export class StatePublisher {
  private lastPublished = ''
  private timer: NodeJS.Timeout | null = null

  constructor(
    private readonly room: Room,
    private readonly debounceMs: number,
  ) {}

  get state(): RoomState {
    const room = this.room
    const s: RoomState = {
      phase: room.phase,
      currentHash: room.currentHash,
      confirmations: room.confirmations.map(publicConfirmation),
      participants: room.participants,
    }
    if (room.agreementHash) s.agreementHash = room.agreementHash
    if (room.lockedAt !== undefined) s.lockedAt = room.lockedAt
    if (room.ratings.length > 0) s.ratedBy = room.ratings.map((r) => r.role)
    if (room.gate.quotas.overOnLoad) s.readOnly = room.gate.quotas.overOnLoad
    const pause = room.coolingOff.info()
    if (pause) s.pause = pause
    if (room.phase === 'negotiating') s.pausesLeft = room.coolingOff.left
    return s
  }

  /** Sends room:state now if anything in it changed. */
  publish(): void {
    this.stop()
    const room = this.room
    if (room.isDisposed || room.broken) return
    if (!room.listener.watching(room)) {
      this.lastPublished = ''
      return
    }
    let state: RoomState
    try {
      state = this.state
    } catch (err) {
      // Called from timers and commit callbacks, where nothing else would catch it (the hash of a huge document).
      room.breakDown(err, 'room state')
      return
    }
    const fingerprint = JSON.stringify(state)
    if (fingerprint === this.lastPublished) return
    this.lastPublished = fingerprint
    room.listener.state(room, state)
  }

  /** Coalesces hash recomputation while someone types. */
  schedule(): void {
    if (this.timer || this.room.isDisposed) return
    this.timer = setTimeout(() => {
      this.timer = null
      this.publish()
    }, this.debounceMs)
  }

  /** Drops a scheduled publish. */
  stop(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
  }
}
