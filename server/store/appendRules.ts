// What every store refuses to append, checked inside the append's transaction against the
// room's committed phase and chain head (so two processes cannot both lock, or edit after a lock).
import type { Phase } from '../../shared/protocol/room.ts'
import type { AppendOptions, NewEvent } from './Store.ts'

export interface ChainState {
  seq: number
  phase: Phase | string
  /** Seq of the last CHANGE_TYPES event (only read when an append asks ifNoChangeAfter). */
  lastChange?: number
}

/** Why this append may not be written, or null. */
export function appendRefusal(roomId: string, head: ChainState, events: readonly NewEvent[], options?: AppendOptions): string | null {
  if (options?.ifLastSeq !== undefined && options.ifLastSeq !== head.seq) {
    return `room ${roomId} has moved on: its log ends at seq ${head.seq}, not ${options.ifLastSeq}`
  }
  if (options?.ifNoChangeAfter !== undefined && (head.lastChange ?? Infinity) > options.ifNoChangeAfter) {
    return `room ${roomId} changed after seq ${options.ifNoChangeAfter} (at seq ${head.lastChange ?? '?'})`
  }
  if (head.phase === 'locked') {
    if (options?.phase === 'locked') return `room ${roomId} is already locked`
    if (events.some((e) => e.type === 'update')) return `room ${roomId} is locked: its document cannot change`
  }
  return null
}
