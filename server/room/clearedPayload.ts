// The 'cleared' event's payload: which confirmations a change of content cleared, and what that change was
// (raw before → after from shared/content/contentChanges.ts, so every reader formats it in their own language).
import { contentChanges } from '../../shared/content/contentChanges.ts'
import type { RoomContent } from '../../shared/document/roomDoc.ts'
import type { JsonPayload } from '../store/Store.ts'
import type { StandingConfirmation } from './Confirmations.ts'

/**
 * {hash, roles, changes}: `changes` compares the content the confirmations stood on with the content now. Only
 * computed here, once there were confirmations to clear, so an ordinary keystroke pays nothing for it.
 */
export function clearedPayload(cleared: readonly StandingConfirmation[], before: RoomContent | null, after: RoomContent): JsonPayload {
  const payload: JsonPayload = { hash: cleared[0]!.hash, roles: cleared.map((c) => c.role) }
  if (before) payload.changes = contentChanges(before, after)
  return payload
}
