// The Yjs update an archived event carries, decoded from its base64 text (isomorphic).
import { fromBase64, toBase64 } from 'lib0/buffer'
import * as Y from 'yjs'
import type { ArchiveEvent } from '../protocol/eventLog.ts'
import { ROOT } from '../document/roomDoc.ts'

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/

/**
 * The base64 update of an event: the payload of 'update'; a 'create' may carry the initial
 * state as `payload.update` (the server currently writes it as a separate 'update' at seq 2).
 */
export function updateTextOf(e: Pick<ArchiveEvent, 'type' | 'payload'>): string | null {
  if (e.type === 'update') return typeof e.payload === 'string' ? e.payload : null
  if (e.type === 'create' && typeof e.payload === 'object' && e.payload !== null) {
    const u = (e.payload as { update?: unknown }).update
    return typeof u === 'string' ? u : null
  }
  return null
}

/** Whether this event is meant to carry document bytes (even if they are missing or malformed). */
export function carriesUpdate(e: Pick<ArchiveEvent, 'type' | 'payload'>): boolean {
  return e.type === 'update' || updateTextOf(e) !== null
}

export type DecodedUpdate = { ok: true; bytes: Uint8Array } | { ok: false; reason: string }

/**
 * Canonical base64 (what the server wrote) → bytes that Yjs can decode; otherwise why not.
 * `structure: false` skips the full Y.decodeUpdate pass (the replay applies in try/catch instead).
 */
export function decodeUpdateText(text: unknown, options: { structure?: boolean } = {}): DecodedUpdate {
  if (typeof text !== 'string') return { ok: false, reason: 'the update payload is not base64 text' }
  if (!BASE64.test(text)) return { ok: false, reason: 'the update payload is not valid base64' }
  const bytes = fromBase64(text)
  if (toBase64(bytes) !== text) return { ok: false, reason: 'the update payload is not canonical base64' }
  if (options.structure === false) return { ok: true, bytes }
  try {
    Y.decodeUpdate(bytes)
  } catch (err) {
    return { ok: false, reason: `the update payload is not a decodable Yjs update (${(err as Error).message || 'decode error'})` }
  }
  return { ok: true, bytes }
}

/** A document with the room's typed roots declared first, as the server's (so updates integrate into a Map / Text). */
export function newRoomDoc(): Y.Doc {
  const doc = new Y.Doc()
  for (const name of Object.values(ROOT)) {
    if (name === ROOT.clauses) doc.getText(name)
    else doc.getMap(name)
  }
  return doc
}
