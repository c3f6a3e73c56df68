// Caps on open connections, shared by the Yjs endpoint and socket.io: per token, per room, per client
// address, and a global cap on every open TCP connection of the HTTP server whose last `reserved` slots
// only health checks may use (PostgreSQL's max_connections with reserved slots). One token opening
// thousands of idle sockets, or a flood of half-open requests, then costs a refusal instead of the
// process's file descriptors.
import { createHash } from 'node:crypto'
import type { IncomingMessage, Server as HttpServer } from 'node:http'
import type { Socket } from 'node:net'
import { refuse, type Refusal } from '../../shared/protocol/errors.ts'
import { clientAddress } from './clientAddress.ts'

export interface ConnectionCaps {
  /** Websockets (Yjs + socket.io) open with one token. */
  perToken: number
  /** Websockets open in one room. */
  perRoom: number
  /** Websockets open from one client address (TRUST_PROXY: X-Forwarded-For). */
  perAddress: number
  /** Open TCP connections of the HTTP server, of any kind. */
  global: number
  /** The last of the global slots: only `reservedPaths` are served there. */
  reserved: number
  /** A connection in the reserved slots must have asked for a reserved path within this (ms). */
  reservedIdleMs?: number
  trustProxy: boolean
}

/** Paths served even when only the reserved slots are left. */
const RESERVED_PATHS = new Set(['/healthz', '/api/public-key'])

/** A held place in the per-token/room/address counts; release is idempotent. */
export interface ConnectionSlot {
  ok: true
  release(): void
}

export class ConnectionLimits {
  private readonly sockets = new Set<Socket>()
  private readonly counts = new Map<string, number>()

  constructor(readonly caps: ConnectionCaps) {}

  /** Counts every TCP connection; beyond the global cap a new one is closed at once. */
  attach(server: HttpServer): void {
    server.on('connection', (socket: Socket) => {
      if (this.sockets.size >= this.caps.global) {
        socket.destroy()
        return
      }
      this.sockets.add(socket)
      socket.once('close', () => this.sockets.delete(socket))
      if (this.sockets.size > this.softCap) {
        // In the reserved slots: a health check asks at once; anything else gives its slot back soon.
        ;(socket as ReservedSocket).inReserve = true
        const timer = setTimeout(() => {
          if (!(socket as ReservedSocket).servesReserved) socket.destroy()
        }, this.caps.reservedIdleMs ?? 2000)
        timer.unref()
        socket.once('close', () => clearTimeout(timer))
      }
    })
  }

  get open(): number {
    return this.sockets.size
  }

  private get softCap(): number {
    return Math.max(0, this.caps.global - this.caps.reserved)
  }

  /**
   * Null when this request (HTTP or upgrade) may use its connection; a refusal when the connection took
   * one of the reserved slots and the request is not a health check.
   */
  admit(req: IncomingMessage): Refusal | null {
    if (!(req.socket as ReservedSocket).inReserve) return null
    const path = (req.url ?? '/').split('?')[0]!
    if (req.method === 'GET' && RESERVED_PATHS.has(path)) {
      ;(req.socket as ReservedSocket).servesReserved = true
      return null
    }
    return refuse('too_many_connections', 'the server has too many open connections; try again shortly')
  }

  /** The client's address as the caps count it. */
  address(req: IncomingMessage): string {
    return clientAddress(req.socket.remoteAddress, req.headers, this.caps.trustProxy) ?? 'unknown'
  }

  /** Takes a place for one websocket of `token` in `room` from `address`, or says which cap is full. */
  claim(token: string, room: string, address: string): ConnectionSlot | Refusal {
    const keys: [string, number, string][] = [
      [`t:${tokenKey(token)}`, this.caps.perToken, 'this invite link has too many open connections; close other tabs'],
      [`r:${room}`, this.caps.perRoom, 'this room has too many open connections'],
      [`a:${address}`, this.caps.perAddress, 'too many open connections from this address'],
    ]
    for (const [key, cap, text] of keys) if ((this.counts.get(key) ?? 0) >= cap) return refuse('too_many_connections', text)
    for (const [key] of keys) this.counts.set(key, (this.counts.get(key) ?? 0) + 1)
    let held = true
    return {
      ok: true,
      release: () => {
        if (!held) return
        held = false
        for (const [key] of keys) {
          const n = (this.counts.get(key) ?? 1) - 1
          if (n <= 0) this.counts.delete(key)
          else this.counts.set(key, n)
        }
      },
    }
  }
}

interface ReservedSocket extends Socket {
  /** Accepted when only the reserved slots were left. */
  inReserve?: boolean
  servesReserved?: boolean
}

/** Tokens are never kept as such (they are secrets): a short hash names them. */
export function tokenKey(token: string): string {
  return createHash('sha256').update(token).digest('base64url').slice(0, 22)
}
