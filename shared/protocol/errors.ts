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
  | 'rate_limited'
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
}

export function refuse(error: ErrorCode, message: string): Refusal {
  return { ok: false, error, message }
}

export function isRefusal(x: unknown): x is Refusal {
  return !!x && typeof x === 'object' && (x as { ok?: unknown }).ok === false
}
