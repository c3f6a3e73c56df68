// The hash chain every store appends with: seq, ts, prevHash and hash per event, chat
// de-duplication by clientId, and what the store refuses to append. Each store reads the room's
// head inside its own transaction (the lock) and hands the writing to a ChainWriter, so SQLite
// and PostgreSQL chain one way only (as tldraw keeps one TLSyncStorage seam under its backends).
import { hash } from 'node:crypto'
import { GENESIS_HASH, eventHash } from '../../shared/protocol/eventLog.ts'
import { actorOf, type Phase } from '../../shared/protocol/room.ts'
import { AppendRefusedError, CHANGE_TYPES } from './Store.ts'
import type { AppendOptions, AppendResult, NewEvent, StoredEvent } from './Store.ts'

/** A room's chain head as read under its lock (the last event; phase from the rooms row). */
export interface Head {
  seq: number
  hash: string
  ts: number
  phase: Phase | string
  /** Seq of the last CHANGE_TYPES event; read only when an append asks ifNoChangeAfter. */
  lastChange?: number
}

/** The head of a room without events. */
export const emptyHead = (phase: Phase | string): Head => ({ seq: 0, hash: GENESIS_HASH, ts: 0, phase })

/** Where the chain writes: inside the caller's transaction. */
export interface ChainWriter {
  /** The stored chat message with this idempotency key, including one written earlier in this transaction. */
  storedChat(clientId: string): StoredEvent | undefined
  /** Writes one chained event (`source` is what the caller asked to append; `phase`, the room's just after it). */
  write(event: StoredEvent, source: NewEvent, phase: Phase | string): void
}

export interface Chained {
  results: AppendResult[]
  /** The head after these events (and the phase the append set). */
  head: Head
}

// One-shot hashing: no Hash object per event (this runs inside every commit).
const nodeSha256 = (s: string): string => hash('sha256', s, 'hex')

const CHANGES: readonly string[] = CHANGE_TYPES

/** Why this append may not be written, or null. */
export function appendRefusal(roomId: string, head: Head, events: readonly NewEvent[], options?: AppendOptions): string | null {
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

/**
 * Chains one append onto `head`: a chat message whose clientId is already stored answers the
 * stored one (nothing written), every other event gets the next seq, a ts that never decreases
 * (`now` at least) and its hash. Throws AppendRefusedError, before writing anything, if refused.
 */
export function appendToChain(
  roomId: string,
  head: Head,
  events: readonly NewEvent[],
  options: AppendOptions | undefined,
  now: number,
  writer: ChainWriter,
): Chained {
  const refusal = appendRefusal(roomId, head, events, options)
  if (refusal) throw new AppendRefusedError(refusal)
  const results: AppendResult[] = []
  let { seq, hash, ts, lastChange } = head
  for (const e of events) {
    const clientId = e.type === 'chat' ? e.clientId : undefined
    const stored = clientId !== undefined ? writer.storedChat(clientId) : undefined
    if (stored) {
      results.push({ event: stored, duplicate: true })
      continue
    }
    const next = { seq: seq + 1, ts: Math.max(ts, now), actor: actorOf(e.actor), type: e.type, payload: e.payload }
    const nextHash = eventHash(hash, next, nodeSha256)
    const event: StoredEvent = { roomId, ...next, prevHash: hash, hash: nextHash }
    writer.write(event, e, e.type === 'lock' ? 'locked' : head.phase)
    results.push({ event, duplicate: false })
    seq = next.seq
    hash = nextHash
    ts = next.ts
    if (lastChange !== undefined && CHANGES.includes(e.type)) lastChange = seq
  }
  const after: Head = { seq, hash, ts, phase: options?.phase ?? head.phase }
  if (lastChange !== undefined) after.lastChange = lastChange
  return { results, head: after }
}
