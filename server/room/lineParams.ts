// What a system line (room:event, chat:history) shows of its log event: everyone in the room sees
// it, so a confirmation's address and browser, the signed agreement and a rating stay out.
import type { EventType } from '../../shared/protocol/eventLog.ts'
import type { JsonPayload } from '../store/Store.ts'

function pick(payload: JsonPayload, keys: readonly string[]): JsonPayload {
  const out: JsonPayload = {}
  for (const k of keys) if (payload[k] !== undefined) out[k] = payload[k]
  return out
}

export function lineParams(type: EventType | string, payload: JsonPayload): JsonPayload {
  switch (type) {
    case 'confirm':
      return pick(payload, ['hash', 'fullName', 'confirmedAt', 'summaryLang'])
    case 'lock':
      return pick(payload, ['phase', 'contentHash', 'agreementHash'])
    case 'rating':
      return {}
    default:
      return payload
  }
}
