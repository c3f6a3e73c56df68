// What to do when the server closes the document websocket (contract: DESIGN.md "Transports").

export type CloseAction =
  /** The server refused one of our writes: every later update depends on it, so start from a fresh document. */
  | { kind: 'restart'; reason: string }
  /** The server will not take this connection as it is (bad request, message too big): say why, stop retrying. */
  | { kind: 'stop'; code: number; reason: string }
  /** Over the server's rate limit: wait as long as it says, then reconnect with the same document (its changes resync). */
  | { kind: 'wait'; ms: number; reason: string }
  /** Anything else is transient: y-websocket reconnects by itself. */
  | { kind: 'retry' }

export const CLOSE_FORBIDDEN_WRITE = 4403
/** An update over a room quota (or the room is over one and read-only): like 4403, start over, and say why. */
export const CLOSE_QUOTA_EXCEEDED = 4413
export const CLOSE_BAD_REQUEST = 4400
export const CLOSE_TOO_BIG = 1009
/** The link expired or was revoked while connected (reason `token_expired: …` / `revoked: …`). */
export const CLOSE_TOKEN_ENDED = 4401
export const CLOSE_RATE_LIMITED = 4429

export function closeAction(code: number, reason: string): CloseAction {
  if (code === CLOSE_FORBIDDEN_WRITE) return { kind: 'restart', reason: reason || 'forbidden_write' }
  if (code === CLOSE_QUOTA_EXCEEDED) return { kind: 'restart', reason: reason || 'quota_exceeded' }
  if (code === CLOSE_RATE_LIMITED) return { kind: 'wait', ms: retryAfterMs(reason), reason }
  if (code === CLOSE_TOO_BIG || code === CLOSE_BAD_REQUEST) return { kind: 'stop', code, reason }
  if (code >= 4400 && code < 4500) return { kind: 'stop', code, reason }
  return { kind: 'retry' }
}

/** y-websocket's reconnect decision: transient codes only (it would resend an oversized message forever). */
export function shouldReconnect(code: number): boolean {
  return closeAction(code, '').kind === 'retry'
}

/** "rate_limited: … retry in 3 s" → 3000 ms (5 s when unreadable); at most a minute, so a bad reason cannot park us. */
export function retryAfterMs(reason: string): number {
  const m = /retry in (\d+(?:\.\d+)?) ?s\b/.exec(reason)
  const s = m ? Number(m[1]) : 5
  return Math.min(60, Math.max(1, s)) * 1000
}
