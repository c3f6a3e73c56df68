// socket.io requests typed by event name (shared/protocol ClientToServerEvents): a contract change
// breaks the client's build, not a user's confirmation.
import type { ClientToServerEvents } from '../../../shared/protocol/index.ts'

export type RequestName = keyof ClientToServerEvents
export type PayloadOf<E extends RequestName> = Parameters<ClientToServerEvents[E]>[0]
/** The server's ack for this event (shared/protocol Ack). */
export type AckOf<E extends RequestName> = Parameters<Parameters<ClientToServerEvents[E]>[1]>[0]

/** The request never got an answer: the link was down, or the ack did not come in time. Not a server refusal. */
export interface Unanswered {
  ok: false
  error: 'network' | 'timeout'
  message?: undefined
}

export type Reply<E extends RequestName> = AckOf<E> | Unanswered
