// Refusals are values with a stable code (the UI maps codes to translated text) and a human message.

export type ErrorCode =
  | 'invalid_payload'
  | 'payload_too_large'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'forbidden_write'
  | 'read_only'
  | 'locked'
  | 'stale_hash'
  /** confirm: the content does not validate (validateContent), so there is nothing to confirm. */
  | 'invalid_content'
  /** confirm: the content has no commitments.firstDueDate, so the schedule has no dates to agree on. */
  | 'first_due_date_required'
  /** confirm: the summaryHash sent is not the hash of the summary of this content. */
  | 'summary_mismatch'
  /** A lender's baseline write while a confirmation stands (shared/document/baselineGuard.ts). */
  | 'baseline_frozen'
  /** The agreement (or an amendment) exists only once the room is locked. */
  | 'not_locked'
  /** rating:submit a second time. */
  | 'already_rated'
  /** An attachment larger than 10 MiB (HTTP 413). */
  | 'too_large'
  /** An attachment whose content is not a PDF, PNG or JPEG, whatever its name (HTTP 415). */
  | 'unsupported_type'
  | 'rate_limited'
  /** A cooling-off pause is in force: the proposal and confirmations are frozen until it ends (Yjs close 4403 `paused: …`). */
  | 'paused'
  /** pause:call while a pause is already in force. */
  | 'already_paused'
  /** pause:call by a party who has called PAUSES_PER_PARTY pauses already. */
  | 'pause_limit'
  /** The room token expired while its connection was open (Yjs close 4401, socket.io `session:ended`). */
  | 'token_expired'
  /** The operator revoked this role's invites (POST /api/rooms/:id/invites/revoke): the token opens nothing any more. */
  | 'revoked'
  /** An open-connection cap (per token, room, address or the server's) is reached. */
  | 'too_many_connections'
  | 'invalid_message'
  | 'invalid_update'
  | 'missing_dependencies'
  | 'message_too_large'
  /** Yjs close 4400: one connection announced more awareness clients than any browser does. */
  | 'awareness_flood'
  /** Yjs close 4400: an awareness state that is not JSON, too large, or has fields the room does not know. */
  | 'invalid_awareness'
  | 'not_implemented'
  | 'storage_failure'
  /** A room quota (document, clauses, one update, attachments) would be passed, or the room is over one already. */
  | 'quota_exceeded'
  /** An exception inside this room's handling: the room is dropped and reloads; other rooms go on. */
  | 'room_broken'
  | 'unavailable'
  /** A state-changing request made with the staff session cookie lacks the session's X-CSRF-Token (HTTP 403). */
  | 'csrf_failed'
  /** An organisation of that name, or a member of the organisation with that e-mail, exists already (HTTP 409). */
  | 'already_exists'
  | 'internal'

export interface Refusal {
  ok: false
  error: ErrorCode
  message: string
  /** With `too_large`: the largest size accepted, in bytes. */
  limit?: number
  /** `rate_limited`: when the budget allows again. */
  retryAfterMs?: number
}

export function refuse(error: ErrorCode, message: string): Refusal {
  return { ok: false, error, message }
}

export function isRefusal(x: unknown): x is Refusal {
  return !!x && typeof x === 'object' && (x as { ok?: unknown }).ok === false
}
