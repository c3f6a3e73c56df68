// A socket.io client socket without a server: the test plays the server. It pushes events with the
// payload shapes of shared/protocol (typed), connects and drops the link, and answers requests.
import type { ClientToServerEvents, ServerToClientEvents } from '../../../shared/protocol/index.ts'
import type { ClientSocket } from '../../../client/src/lib/roomSocket.ts'

type Handler = (...args: never[]) => void
type RequestName = keyof ClientToServerEvents

/** One request the client made, waiting for the test to answer it. */
export interface SentRequest<E extends RequestName = RequestName> {
  event: E
  payload: Parameters<ClientToServerEvents[E]>[0]
  /** Answers with the server's ack. */
  ack(reply: Parameters<Parameters<ClientToServerEvents[E]>[1]>[0]): void
  /** Lets the ack time out. */
  timeout(): void
}

export class FakeClientSocket {
  connected = false
  /** socket.io's "will reconnect by itself" flag: false once the app or a middleware refusal stopped it. */
  active = true
  connects = 0
  readonly sent: SentRequest[] = []
  private handlers = new Map<string, Handler[]>()

  on(event: string, handler: Handler): this {
    this.handlers.set(event, [...(this.handlers.get(event) ?? []), handler])
    return this
  }

  timeout(_ms: number): { emit: (event: RequestName, payload: unknown, cb: (err: Error | null, ack?: unknown) => void) => void } {
    return {
      emit: (event, payload, cb) => {
        this.sent.push({ event, payload, ack: (reply) => cb(null, reply), timeout: () => cb(new Error('operation has timed out')) } as SentRequest)
      },
    }
  }

  /** The client asked to (re)connect; the test decides when the server lets it in (serverConnect). */
  connect(): this {
    this.connects++
    return this
  }

  disconnect(): this {
    this.active = false
    if (this.connected) this.drop('io client disconnect')
    return this
  }

  // --- the server's side -------------------------------------------------------------------------

  serverConnect(): void {
    this.connected = true
    this.fire('connect')
  }

  drop(reason = 'transport close'): void {
    this.connected = false
    this.fire('disconnect', reason)
  }

  /** The handshake failed; `error` is what the server's middleware put in `err.data.error`. */
  refuse(error: string, active = false): void {
    this.connected = false
    this.active = active
    this.fire('connect_error', Object.assign(new Error(error), { data: { error } }))
  }

  push<E extends keyof ServerToClientEvents>(event: E, ...args: Parameters<ServerToClientEvents[E]>): void {
    this.fire(event, ...args)
  }

  /** A payload that does not have the contract's shape (an older or broken server). */
  pushRaw(event: keyof ServerToClientEvents, payload: unknown): void {
    this.fire(event, payload)
  }

  /** The requests of one event, oldest first. */
  requests<E extends RequestName>(event: E): SentRequest<E>[] {
    return this.sent.filter((r): r is SentRequest<E> => r.event === event)
  }

  asSocket(): ClientSocket {
    return this as unknown as ClientSocket
  }

  private fire(event: string, ...args: unknown[]): void {
    for (const h of this.handlers.get(event) ?? []) (h as (...a: unknown[]) => void)(...args)
  }
}
