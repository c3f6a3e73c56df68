// HTTP errors as `{error, message}` bodies with stable codes; nothing is written on an error.
import type { ErrorRequestHandler, Response } from 'express'
import type { ErrorCode, Refusal } from '../../shared/protocol/errors.ts'
import type { Logger } from '../log.ts'
import { safePath } from '../log.ts'
import { RoomFault, roomBrokenRefusal } from '../room/RoomFault.ts'

const STATUS: Partial<Record<ErrorCode, number>> = {
  invalid_payload: 400,
  unauthorized: 401,
  token_expired: 401,
  revoked: 401,
  forbidden: 403,
  not_found: 404,
  locked: 409,
  stale_hash: 409,
  not_locked: 404,
  already_rated: 409,
  summary_mismatch: 409,
  baseline_frozen: 409,
  invalid_content: 422,
  payload_too_large: 413,
  too_large: 413,
  unsupported_type: 415,
  rate_limited: 429,
  too_many_connections: 503,
  not_implemented: 501,
  unavailable: 503,
  storage_failure: 503,
  quota_exceeded: 413,
  room_broken: 503,
  csrf_failed: 403,
  already_exists: 409,
}

export function statusOf(code: ErrorCode): number {
  return STATUS[code] ?? 500
}

export function sendError(res: Response, error: ErrorCode, message: string, status = statusOf(error)): void {
  if (error === 'unauthorized') res.setHeader('WWW-Authenticate', 'Bearer')
  res.status(status).json({ error, message })
}

export function sendRefusal(res: Response, r: Refusal & { retryAfterS?: number }): void {
  if (r.retryAfterS !== undefined) res.setHeader('Retry-After', String(r.retryAfterS))
  sendError(res, r.error, r.message)
}

/** Body-parser failures become invalid_payload / payload_too_large; anything else is a bug (500, logged). */
export function errorHandler(log: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    const e = err as { type?: string; status?: number; message?: string }
    if (res.headersSent) return
    if (e.type === 'entity.parse.failed') return sendError(res, 'invalid_payload', 'the body is not valid JSON')
    if (e.type === 'entity.too.large') return sendError(res, 'payload_too_large', 'the body is too large')
    if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
      return sendError(res, 'invalid_payload', e.message ?? 'bad request', e.status)
    }
    if (err instanceof RoomFault) {
      // Only this room broke (RoomRegistry.withRoom marked it); it reloads on the next request.
      log.error({ err, roomId: err.roomId, method: req.method, path: safePath(req.originalUrl) }, 'request broke its room')
      return sendRefusal(res, roomBrokenRefusal())
    }
    log.error({ err, method: req.method, path: safePath(req.originalUrl) }, 'request failed')
    sendError(res, 'internal', 'something went wrong')
  }
}
