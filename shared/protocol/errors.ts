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
  /** confirm: the summaryHash sent is not the hash of the summary of this content. */
  | 'summary_mismatch'
  /** A lender's baseline write while a confirmation stands (shared/restructuring/baselineGuard.ts). */
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
  /** An open-connection cap (per token, room, address or the server's) is reached. */
  | 'too_many_connections'
  | 'invalid_message'
  | 'invalid_update'
  | 'missing_dependencies'
  | 'message_too_large'
  | 'not_implemented'
  | 'storage_failure'
  | 'unavailable'
  | 'internal'

export interface Refusal {
  ok: false
  error: ErrorCode
  message: string
  /** `rate_limited`: when the budget allows again. */
  retryAfterMs?: number
}

export function refuse(error: ErrorCode, message: string): Refusal {
  return { ok: false, error, message }
}

export function isRefusal(x: unknown): x is Refusal {
  return !!x && typeof x === 'object' && (x as { ok?: unknown }).ok === false
}
