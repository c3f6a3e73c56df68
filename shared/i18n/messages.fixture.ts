// Every ErrorCode of shared/protocol/errors.ts (a new code there must get a message here).
import type { ErrorCode } from '../protocol/errors.ts'

const all: Record<ErrorCode, true> = {
  invalid_payload: true,
  payload_too_large: true,
  too_large: true,
  unsupported_type: true,
  unauthorized: true,
  forbidden: true,
  not_found: true,
  forbidden_write: true,
  read_only: true,
  locked: true,
  stale_hash: true,
  invalid_content: true,
  summary_mismatch: true,
  baseline_frozen: true,
  not_locked: true,
  already_rated: true,
  rate_limited: true,
  token_expired: true,
  revoked: true,
  too_many_connections: true,
  invalid_message: true,
  invalid_update: true,
  missing_dependencies: true,
  message_too_large: true,
  awareness_flood: true,
  invalid_awareness: true,
  not_implemented: true,
  storage_failure: true,
  quota_exceeded: true,
  room_broken: true,
  unavailable: true,
  internal: true,
}

export const ERROR_CODES_FOR_TEST = Object.keys(all) as ErrorCode[]
