// The ways an archive file can be tampered with, for the verifier's tests and properties.
import { eventHash, GENESIS_HASH, type ArchiveEvent } from '../../../shared/protocol/eventLog.ts'

export type Tampering =
  /** Change the payload, leave the hash. */
  | { kind: 'payload'; at: number }
  | { kind: 'ts'; at: number; delta: number }
  | { kind: 'actor'; at: number }
  | { kind: 'type'; at: number }
  /** Remove an event; `renumber` shifts the later seqs down so no gap shows. */
  | { kind: 'drop'; at: number; renumber: boolean }
  /** A forged, correctly hashed event before events[at]; `renumber` shifts the later seqs up. */
  | { kind: 'insert'; at: number; renumber: boolean }
  /** Swap events[at] and events[at + 1]; `renumber` puts the seqs back in order. */
  | { kind: 'swap'; at: number; renumber: boolean }
  | { kind: 'move'; from: number; to: number }
  /** Replace the hash with another event's (or a made-up one when `from` is null). */
  | { kind: 'hash'; at: number; from: number | null }
  | { kind: 'prevHash'; at: number }
  | { kind: 'seq'; at: number; to: number }
  /** Change the payload and recompute this event's hash (the next event still names the old one). */
  | { kind: 'rewrite'; at: number }

function clone(events: readonly ArchiveEvent[]): ArchiveEvent[] {
  return events.map((e) => structuredClone(e))
}

function alterPayload(e: ArchiveEvent): void {
  if (typeof e.payload === 'string') {
    const s = e.payload
    const k = Math.floor(s.length / 2)
    e.payload = s.slice(0, k) + (s[k] === 'A' ? 'B' : 'A') + s.slice(k + 1)
  } else {
    e.payload = { ...(e.payload as Record<string, unknown>), text: 'the lender waives everything' }
  }
}

function rehash(e: ArchiveEvent): void {
  e.hash = eventHash(e.prevHash, e)
}

export function tamper(original: readonly ArchiveEvent[], t: Tampering): ArchiveEvent[] {
  const events = clone(original)
  switch (t.kind) {
    case 'payload':
      alterPayload(events[t.at]!)
      break
    case 'ts':
      events[t.at]!.ts += t.delta
      break
    case 'actor':
      events[t.at]!.actor = { ...events[t.at]!.actor, name: `${events[t.at]!.actor.name} (forged)` }
      break
    case 'type':
      events[t.at]!.type = events[t.at]!.type === 'join' ? 'leave' : 'join'
      break
    case 'drop':
      events.splice(t.at, 1)
      if (t.renumber) for (let i = t.at; i < events.length; i++) events[i]!.seq = i + 1
      break
    case 'insert': {
      const before = events[t.at - 1]
      const forged: ArchiveEvent = {
        seq: t.at + 1,
        ts: before?.ts ?? events[0]!.ts,
        actor: { role: 'lender', name: 'Wang' },
        type: 'chat',
        payload: { id: 'forged', clientId: 'forged', text: 'The borrower accepts 9.99%.' },
        prevHash: before?.hash ?? GENESIS_HASH,
        hash: '',
      }
      rehash(forged)
      events.splice(t.at, 0, forged)
      if (t.renumber) for (let i = t.at + 1; i < events.length; i++) events[i]!.seq = i + 1
      break
    }
    case 'swap': {
      const a = events[t.at]!
      events[t.at] = events[t.at + 1]!
      events[t.at + 1] = a
      if (t.renumber) {
        events[t.at]!.seq = t.at + 1
        events[t.at + 1]!.seq = t.at + 2
      }
      break
    }
    case 'move': {
      const [e] = events.splice(t.from, 1)
      events.splice(t.to, 0, e!)
      break
    }
    case 'hash':
      events[t.at]!.hash = t.from === null ? 'f'.repeat(64) : original[t.from]!.hash
      break
    case 'prevHash':
      events[t.at]!.prevHash = 'e'.repeat(64)
      break
    case 'seq':
      events[t.at]!.seq = t.to
      break
    case 'rewrite':
      alterPayload(events[t.at]!)
      rehash(events[t.at]!)
      break
  }
  return events
}

/** The first 1-based position where the tampered log differs from the original (null: identical). */
export function firstDifference(original: readonly ArchiveEvent[], tampered: readonly ArchiveEvent[]): number | null {
  const n = Math.max(original.length, tampered.length)
  for (let i = 0; i < n; i++) {
    if (JSON.stringify(original[i]) !== JSON.stringify(tampered[i])) return i + 1
  }
  return null
}

/** Recomputes the whole chain from `from` on, as a forger who rewrites the rest of the file would. */
export function rechain(events: ArchiveEvent[], from = 0): ArchiveEvent[] {
  let prev = from === 0 ? GENESIS_HASH : events[from - 1]!.hash
  for (let i = from; i < events.length; i++) {
    const e = events[i]!
    e.prevHash = prev
    rehash(e)
    prev = e.hash
  }
  return events
}

/** Appends a correctly chained event (as the server would have, e.g. evidence after the lock). */
export function appendEvent(events: ArchiveEvent[], actor: ArchiveEvent['actor'], type: string, payload: Record<string, unknown>): ArchiveEvent[] {
  const last = events.at(-1)
  const e: ArchiveEvent = { seq: events.length + 1, ts: (last?.ts ?? 0) + 1_000, actor, type, payload, prevHash: last?.hash ?? GENESIS_HASH, hash: '' }
  rehash(e)
  events.push(e)
  return events
}
