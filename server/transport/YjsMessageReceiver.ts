// Inbound frames of the Yjs websocket: metered in arrival order, decoded, and handed to the
// connection (document updates), the awareness guard (presence) or answered (sync step 1, query).
import type { RawData } from 'ws'
import { applyAwarenessUpdate } from 'y-protocols/awareness'
import * as Y from 'yjs'
import { CLOSE } from '../../shared/protocol/yjs.ts'
import type { Logger } from '../log.ts'
import type { RateLimits } from '../edge/RateLimits.ts'
import { meterYjsMessage, rateLimitedReason } from '../edge/yjsInbox.ts'
import { awarenessGuard } from './awarenessGuard.ts'
import type { YjsConnection } from './YjsConnection.ts'
import { awarenessMessage, decodeFrame, isUpdateFrame, syncStep2 } from './yjsMessages.ts'

export class YjsMessageReceiver {
  constructor(
    private readonly log: Logger,
    private readonly rates?: RateLimits,
  ) {}

  /** One websocket message of `conn`, as ws hands it over. */
  receive(conn: YjsConnection, data: RawData, isBinary: boolean): void {
    if (conn.closed) return
    if (!isBinary) return conn.close(CLOSE.invalidMessage, 'invalid_message: text frames are not part of the protocol')
    // A copy whose buffer is exactly this message: nothing a decoder does can read past it.
    const buf = Array.isArray(data) ? new Uint8Array(Buffer.concat(data)) : new Uint8Array(data as Buffer | ArrayBuffer)
    const rates = this.rates
    if (rates && !rates.yjsUnlimited) {
      // Spent in arrival order; a message over budget closes the connection before it is handled.
      const keys = { connection: conn.id, participant: conn.participant }
      const metered = meterYjsMessage(conn.inbox, rates, keys, buf, isUpdateFrame(buf), (verdict) => {
        if (conn.closed) return
        if (!verdict.ok) return conn.close(CLOSE.rateLimited, rateLimitedReason(verdict.retryAfterMs))
        this.process(conn, buf)
      })
      if (!metered.ok) conn.close(CLOSE.rateLimited, rateLimitedReason(metered.retryAfterMs))
      return
    }
    this.process(conn, buf)
  }

  private process(conn: YjsConnection, buf: Uint8Array): void {
    try {
      this.handle(conn, buf)
    } catch (err) {
      conn.close(CLOSE.invalidMessage, `invalid_message: ${(err as Error).message || 'undecodable'}`)
    }
  }

  private handle(conn: YjsConnection, buf: Uint8Array): void {
    const room = conn.room
    const frame = decodeFrame(buf)
    switch (frame.kind) {
      case 'syncStep1': {
        const reply = syncStep2(Y.encodeStateAsUpdate(room.doc, frame.stateVector))
        // The diff may include updates still being written: it goes out once they are durable.
        room.afterCommitted(() => conn.send(reply))
        return
      }
      case 'update':
        return conn.update(frame.update, frame.isStep2)
      case 'awareness': {
        // Only entries for ids this connection owns reach the room, re-encoded with its token's identity.
        const filtered = awarenessGuard(room).filter(conn, frame.update)
        if (!filtered.ok) return conn.close(CLOSE.invalidMessage, `${filtered.error}: ${filtered.message}`)
        if (filtered.dropped > 0) this.log.debug({ roomId: room.id, role: conn.actor.role, dropped: filtered.dropped }, 'awareness for others dropped')
        if (filtered.update) applyAwarenessUpdate(room.awareness, filtered.update, conn)
        return
      }
      case 'queryAwareness':
        return conn.send(awarenessMessage(room.awareness, [...room.awareness.getStates().keys()]))
    }
  }
}
