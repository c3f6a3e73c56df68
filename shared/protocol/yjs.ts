// Close codes of the Yjs websocket (4400–4499: the y-websocket client does not reconnect).

export const CLOSE = {
  /** Malformed frame, garbage update, missing dependencies: reconnecting cannot fix it. */
  invalidMessage: 4400,
  /**
   * The update was refused for good and the client must start over with a fresh doc: a root the role may not
   * write (`forbidden_write`), a baseline change while a confirmation stands (`baseline_frozen`), a change
   * after the lock (`locked`). The reason starts with that code.
   */
  forbiddenWrite: 4403,
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
