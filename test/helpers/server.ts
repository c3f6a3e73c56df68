// Test helpers: a real server on a free port with a temporary DATA_DIR, rooms created over
// HTTP, stock y-websocket providers and socket.io clients, and waitFor().
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { io, type Socket } from 'socket.io-client'
import WebSocket from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import type { ChatMessage, HistoryItem, RoomEventLine } from '../../shared/protocol/chat.ts'
import type { CreateRoomRequest, CreateRoomResponse } from '../../shared/protocol/http.ts'
import type { Role, RoomState } from '../../shared/protocol/room.ts'
import type { ClientToServerEvents, ServerToClientEvents } from '../../shared/protocol/socket.ts'
import { startServer, type RunningServer, type StartOptions } from '../../server/app.ts'

export const TERMS = { principal: 12_000_000, annualRatePct: '4.35', termMonths: 24, method: 'annuity' } as const

export interface TestServer extends RunningServer {
  dataDir: string
  wsUrl: string
  createRoom(body?: Partial<CreateRoomRequest>): Promise<CreateRoomResponse>
  /** Closes this server and starts a new one on the same DATA_DIR (and port). */
  restart(extra?: StartOptions): Promise<TestServer>
}

export async function startTestServer(options: StartOptions = {}, dataDir?: string): Promise<TestServer> {
  const dir = dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'negotiation-test-'))
  const server = await startServer({ port: 0, host: '127.0.0.1', dataDir: dir, logLevel: process.env.TEST_LOG_LEVEL ?? 'silent', ...options })
  const wsUrl = server.url.replace(/^http/, 'ws')
  return Object.assign(server, {
    dataDir: dir,
    wsUrl,
    createRoom: (body: Partial<CreateRoomRequest> = {}): Promise<CreateRoomResponse> => createRoomAt(server, server.operatorKey, body),
    async restart(extra: StartOptions = {}): Promise<TestServer> {
      await server.close()
      // Let this process's HTTP clients see the closed keep-alive connections first: fetch would otherwise
      // reuse one on the new server and fail with "other side closed".
      await new Promise((r) => setTimeout(r, 20))
      return startTestServer({ ...options, port: server.port, ...extra }, dir)
    },
  })
}

/** Anything with a base URL: an in-process TestServer or a child-process server. */
export interface Endpoint {
  url: string
}

function wsBase(server: Endpoint): string {
  return server.url.replace(/^http/, 'ws')
}

export async function waitFor(cond: () => boolean | Promise<boolean>, message = 'condition', timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs
  for (;;) {
    if (await cond()) return
    if (Date.now() > end) throw new Error(`timed out waiting for ${message}`)
    await new Promise((r) => setTimeout(r, 10))
  }
}

export interface TestProvider {
  doc: Y.Doc
  provider: WebsocketProvider
  /** Resolves when the first sync completes. */
  synced: Promise<void>
  /** Every close the server sent. */
  closes: { code: number; reason: string }[]
  destroy(): void
}

/** A stock y-websocket@3 provider, exactly as the browser uses it (plus the ws polyfill). */
export function connectProvider(server: Endpoint, roomId: string, token: string, doc = new Y.Doc()): TestProvider {
  const provider = new WebsocketProvider(`${wsBase(server)}/yjs`, roomId, doc, {
    params: { token },
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    maxBackoffTime: 200,
  })
  const closes: { code: number; reason: string }[] = []
  provider.on('connection-close', (event) => {
    if (event) closes.push({ code: event.code, reason: event.reason })
  })
  const synced = new Promise<void>((resolve) => {
    if (provider.synced) resolve()
    provider.on('sync', (s: boolean) => {
      if (s) resolve()
    })
  })
  return {
    doc,
    provider,
    synced,
    closes,
    destroy: () => {
      provider.destroy()
      doc.destroy()
    },
  }
}

export type TestSocket = Socket<ServerToClientEvents, ClientToServerEvents>

export interface SocketLog {
  history: HistoryItem[][]
  messages: ChatMessage[]
  events: RoomEventLine[]
  states: RoomState[]
}

/** A socket.io client that records what the server sends. */
export function connectSocket(server: Endpoint, token: string, extraAuth: Record<string, unknown> = {}): { socket: TestSocket; log: SocketLog } {
  const socket: TestSocket = io(server.url, {
    path: '/socket.io',
    auth: { token, ...extraAuth },
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
  })
  const log: SocketLog = { history: [], messages: [], events: [], states: [] }
  socket.on('chat:history', (h) => log.history.push(h))
  socket.on('chat:message', (m) => log.messages.push(m))
  socket.on('room:event', (e) => log.events.push(e))
  socket.on('room:state', (s) => log.states.push(s))
  return { socket, log }
}

export function connected(socket: TestSocket): Promise<void> {
  return new Promise((resolve, reject) => {
    if (socket.connected) return resolve()
    socket.once('connect', () => resolve())
    socket.once('connect_error', (err) => reject(err))
  })
}

export function connectError(socket: TestSocket): Promise<Error & { data?: { error: string; message: string } }> {
  return new Promise((resolve, reject) => {
    socket.once('connect', () => reject(new Error('connected, but should have been refused')))
    socket.once('connect_error', (err) => resolve(err as Error & { data?: { error: string; message: string } }))
  })
}

export function emitAck<E extends keyof ClientToServerEvents>(
  socket: TestSocket,
  event: E,
  payload: unknown,
): Promise<{ ok: boolean; error?: string; message?: unknown; [k: string]: unknown }> {
  return new Promise((resolve) => {
    ;(socket.emit as (e: string, ...a: unknown[]) => void)(event, payload, resolve)
  })
}

/** A raw websocket to the Yjs endpoint; `status` is the HTTP status if the upgrade was refused. */
export function rawYjs(server: Endpoint, roomId: string, token: string | null): Promise<{ ws?: WebSocket; status?: number; body?: string }> {
  const q = token === null ? '' : `?token=${encodeURIComponent(token)}`
  const ws = new WebSocket(`${wsBase(server)}/yjs/${roomId}${q}`)
  return new Promise((resolve) => {
    ws.once('open', () => resolve({ ws }))
    ws.once('unexpected-response', (_req, res) => {
      let body = ''
      res.on('data', (c: Buffer) => (body += c.toString()))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
    })
    ws.once('error', () => {})
  })
}

export function closed(ws: WebSocket): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) => {
    if (ws.readyState === WebSocket.CLOSED) return resolve({ code: 1006, reason: '' })
    ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() }))
  })
}

export async function createRoomAt(server: Endpoint, operatorKey: string, body: Partial<CreateRoomRequest> = {}): Promise<CreateRoomResponse> {
  const res = await fetch(`${server.url}/api/rooms`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${operatorKey}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ title: 'Test room', currency: 'CNY', terms: TERMS, ...body }),
  })
  if (res.status !== 201) throw new Error(`create room: ${res.status} ${await res.text()}`)
  return (await res.json()) as CreateRoomResponse
}

export function invite(room: CreateRoomResponse, role: Role): string {
  return room.invites[role].token
}
