// The room's append-only, hash-chained event log (DESIGN.md "Archive and replay").
// Same function on the server (when appending) and in any verifier (CLI, browser replay).
import { toBase64 } from 'lib0/buffer'
import { canonicalJson } from '../document/canonicalJson.ts'
import { sha256Hex } from '../document/sha256.ts'
import { actorOf, type Actor } from './room.ts'

/** Log types; 'update' carries Yjs update bytes, every other type a JSON object. */
export type EventType =
  | 'create'
  | 'update'
  | 'chat'
  | 'join'
  | 'leave'
  | 'confirm'
  | 'withdraw'
  | 'cleared'
  | 'lock'
  | 'rating'
  | 'attachment'
  /** Written in a locked room when an amendment room is opened from it: payload {roomId} of the new room. */
  | 'amend'
  /** The operator revoked the invites of some roles: payload {roles, generations} (the generations after it, Store.revokeInvites). */
  | 'invites_revoked'
  /** A cooling-off pause: payload {minutes, reason?, startedAt, endsAt} (ms since epoch). */
  | 'paused'
  /** The pause lifted: payload {pausedSeq, endsAt, reason: 'expired' | 'ended'} (expired: written by the server). */
  | 'resumed'
  /** An observer invite was added: payload ObserverInfo (shared/protocol/room.ts). */
  | 'observer_added'
  /** One observer's invite was revoked: payload {observerId}; every process closes that observer's connections on it. */
  | 'observer_revoked'

/** prevHash of the first event (seq 1). */
export const GENESIS_HASH = '0'.repeat(64)

/** One event as exported in an archive: bytes (the 'update' payload) are base64. */
export interface ArchiveEvent {
  seq: number
  /** ms since epoch, never decreasing along seq */
  ts: number
  actor: Actor
  type: EventType | string
  payload: unknown
  prevHash: string
  hash: string
}

export interface HashedFields {
  seq: number
  ts: number
  actor: Actor
  type: string
  /** Uint8Array for 'update' (hashed as its base64), JSON data otherwise. */
  payload: unknown
}

export function payloadForHash(payload: unknown): unknown {
  return payload instanceof Uint8Array ? toBase64(payload) : payload
}

/** The exact string that is hashed: prevHash followed by the canonical JSON of the event. */
export function eventHashInput(prevHash: string, e: HashedFields): string {
  // Yjs updates are most of the log and are hashed inside every commit: the same canonical JSON
  // (keys in sorted order), written out directly. eventLog.test.ts holds it equal to the general form.
  const { actor, payload } = e
  if (
    payload instanceof Uint8Array &&
    Number.isFinite(e.seq) &&
    Number.isFinite(e.ts) &&
    typeof actor.name === 'string' &&
    typeof actor.role === 'string' &&
    actor.staffId === undefined &&
    actor.orgId === undefined &&
    typeof e.type === 'string'
  ) {
    return (
      `${prevHash}{"actor":{"name":${JSON.stringify(actor.name)},"role":${JSON.stringify(actor.role)}},` +
      `"payload":"${toBase64(payload)}","seq":${e.seq},"ts":${e.ts},"type":${JSON.stringify(e.type)}}`
    )
  }
  return (
    prevHash +
    canonicalJson({
      seq: e.seq,
      ts: e.ts,
      actor: actorOf(e.actor),
      type: e.type,
      payload: payloadForHash(e.payload),
    })
  )
}

export function eventHash(prevHash: string, e: HashedFields, sha256: (s: string) => string = sha256Hex): string {
  return sha256(eventHashInput(prevHash, e))
}

export type ChainCheck = { ok: true; lastHash: string } | { ok: false; seq: number; reason: string }

/** Detects any altered, dropped or reordered event of a complete log (seq 1..n). */
export function verifyChain(events: readonly ArchiveEvent[], sha256: (s: string) => string = sha256Hex): ChainCheck {
  let prev = GENESIS_HASH
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!
    if (e.seq !== i + 1) return { ok: false, seq: e.seq, reason: `expected seq ${i + 1}` }
    if (e.prevHash !== prev) return { ok: false, seq: e.seq, reason: 'prevHash does not match the previous event' }
    if (eventHash(prev, e, sha256) !== e.hash) return { ok: false, seq: e.seq, reason: 'hash does not match the event' }
    prev = e.hash
  }
  return { ok: true, lastHash: prev }
}
