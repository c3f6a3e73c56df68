// Close codes of the Yjs websocket (4400–4499: the y-websocket client does not reconnect).

export const CLOSE = {
  /** Malformed frame, garbage update, missing dependencies: reconnecting cannot fix it. */
  invalidMessage: 4400,
  /**
   * The update was refused for good and the client must start over with a fresh doc: a root the role may not
   * write (`forbidden_write`), a baseline change while a confirmation stands (`baseline_frozen`), a change
   * after the lock (`locked`) or during a cooling-off pause (`paused`). The reason starts with that code.
   */
  forbiddenWrite: 4403,
  /**
   * The update would pass a room quota (or the room is over one and read-only); reason `quota_exceeded: …`. Like
   * 4403, the client's document holds a change the room will never have: it starts over, and shows the reason.
   */
  quotaExceeded: 4413,
  /** An exception broke this room (reason `room_broken: …`); it reloads, so reconnecting is right. */
  roomBroken: 4503,
  /**
   * The connection's token stopped being good while it was open: it expired (`token_expired`) or the operator revoked the
   * role's invites (`revoked`); the reason starts with that code. Reconnecting with the same link cannot help.
   */
  tokenExpired: 4401,
  /** RFC 6455 "message too big". */
  tooLarge: 1009,
  /** The server could not store an update; the room reloads, reconnecting is right. */
  storageFailure: 1011,
  /** Server shutting down: reconnect. */
  goingAway: 1001,
  /** The client cannot keep up (send buffer full): reconnect resyncs. */
  tryAgainLater: 1013,
  /**
   * Over a rate limit (updates, bytes or messages): the reason is `rate_limited: … retry in N s`; the client
   * waits that long and reconnects with the same document, whose sync step 2 carries the refused changes.
   */
  rateLimited: 4429,
} as const

/** y-websocket message types. */
export const MESSAGE = { sync: 0, awareness: 1, auth: 2, queryAwareness: 3 } as const
