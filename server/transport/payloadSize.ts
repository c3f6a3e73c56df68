// A socket.io event's payload against its own size limit (shared/schema/protocol.schema.ts): the
// transport takes frames up to maxPayload, each event refuses what is bigger than it can need.
import { refuse, type Refusal } from '../../shared/protocol/errors.ts'

/** The payload's size as JSON, in UTF-8 bytes (socket.io frames carry it as JSON). */
export function jsonBytes(payload: unknown): number {
  if (payload === undefined) return 0
  try {
    return Buffer.byteLength(JSON.stringify(payload) ?? '', 'utf8')
  } catch {
    // Not JSON at all (socket.io would not have parsed it so): the schema refuses it.
    return 0
  }
}

/** `too_large` with the limit, or null when the payload fits. */
export function oversized(payload: unknown, limit: number): Refusal | null {
  const size = jsonBytes(payload)
  if (size <= limit) return null
  return { ...refuse('too_large', `this message is ${size} bytes; at most ${limit} are accepted`), limit }
}
