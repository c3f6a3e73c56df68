// An upload over the 10 MiB limit is answered 413 as soon as the limit is passed (or at once when
// Content-Length announces more), and its connection is closed: the rest of the body is never read.
import fs from 'node:fs'
import http from 'node:http'
import net from 'node:net'
import path from 'node:path'
import { gzipSync } from 'node:zlib'
import { beforeAll, describe, expect, it } from 'vitest'
import type { CreateRoomResponse } from '../../shared/protocol/http.ts'
import { MAX_ATTACHMENT_BYTES } from '../../server/attachments/sniffType.ts'
import { minimalPdf } from '../helpers/evidenceFiles.ts'
import { invite, startTestServer, type TestServer } from '../helpers/server.ts'
import { closeAfterAll } from '../helpers/teardown.ts'

let server: TestServer
const suite = closeAfterAll()
let room: CreateRoomResponse
beforeAll(async () => {
  server = suite.track(await startTestServer())
  room = await server.createRoom()
})

interface Outcome {
  status: number
  body: { error?: string }
  /** Bytes the client had written when the answer came. */
  sentAtAnswer: number
  /** ms from the first byte until the connection was closed. */
  closedAfterMs: number
}

/**
 * Streams an upload of `chunk`s every `everyMs` until the server answers or `maxBytes` is written
 * (an "endless" upload, bounded so the test stops by itself).
 */
function streamUpload(headers: Record<string, string>, maxBytes: number, everyMs = 1): Promise<Outcome> {
  const chunk = Buffer.alloc(64 * 1024)
  Buffer.from(minimalPdf()).copy(chunk)
  const t0 = performance.now()
  return new Promise((resolve, reject) => {
    let sent = 0
    let answer: Omit<Outcome, 'closedAfterMs'> | null = null
    let timer: NodeJS.Timeout | null = null
    const req = http.request(`${server.url}/api/rooms/${room.roomId}/attachments`, {
      method: 'POST',
      agent: false,
      headers: { Authorization: `Bearer ${invite(room, 'borrower')}`, 'Content-Type': 'application/pdf', 'X-File-Name': 'endless.pdf', ...headers },
    })
    const pump = (): void => {
      if (answer || req.destroyed) return
      if (sent >= maxBytes) return void req.end()
      sent += chunk.length
      req.write(chunk)
      timer = setTimeout(pump, everyMs)
    }
    req.on('response', (res) => {
      const sentAtAnswer = sent
      let text = ''
      res.on('data', (c: Buffer) => (text += c.toString()))
      res.on('end', () => (answer = { status: res.statusCode ?? 0, body: JSON.parse(text) as { error?: string }, sentAtAnswer }))
      res.on('error', () => {})
    })
    req.on('error', () => {}) // EPIPE / ECONNRESET while still writing: expected once the server closes
    req.on('close', () => {
      if (timer) clearTimeout(timer)
      if (!answer) return reject(new Error(`closed without an answer after ${sent} bytes`))
      resolve({ ...answer, closedAfterMs: performance.now() - t0 })
    })
    req.flushHeaders()
    pump()
  })
}

const stored = (): string[] => fs.readdirSync(path.join(server.dataDir, 'attachments'))

describe('upload over the limit', () => {
  it('an endless chunked upload gets 413 too_large right after the limit, and its connection is closed', async () => {
    const before = { files: stored(), head: (await server.store.getRoom(room.roomId))!.lastSeq }
    const out = await streamUpload({}, 20 * MAX_ATTACHMENT_BYTES)
    expect(out).toMatchObject({ status: 413, body: { error: 'too_large' } })
    // The answer came once the limit was passed, not after the body (only what the socket buffers held besides).
    expect(out.sentAtAnswer).toBeGreaterThan(MAX_ATTACHMENT_BYTES)
    expect(out.sentAtAnswer).toBeLessThan(MAX_ATTACHMENT_BYTES + 8 * 1024 * 1024)
    expect(out.closedAfterMs).toBeLessThan(15_000)
    expect(stored()).toEqual(before.files)
    expect((await server.store.getRoom(room.roomId))!.lastSeq).toBe(before.head)
    console.log(`endless upload: answered 413 after ${(out.sentAtAnswer / 1048576).toFixed(1)} MiB written, closed after ${Math.round(out.closedAfterMs)} ms`)
  })

  it('a Content-Length over the limit is answered before any of the body is read', async () => {
    const out = await streamUpload({ 'Content-Length': String(1024 ** 3) }, 1024 ** 3, 50)
    expect(out).toMatchObject({ status: 413, body: { error: 'too_large' } })
    expect(out.sentAtAnswer).toBeLessThanOrEqual(4 * 64 * 1024)
    expect(out.closedAfterMs).toBeLessThan(5_000)
  })

  it('a client that ignores the answer and keeps sending is cut off: the server reads nothing more and closes', async () => {
    const { port } = server
    const socket = net.connect(port, '127.0.0.1')
    socket.on('error', () => {})
    await new Promise((r) => socket.once('connect', r))
    socket.write(
      `POST /api/rooms/${room.roomId}/attachments HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${invite(room, 'borrower')}\r\n` +
        'Content-Type: application/pdf\r\nX-File-Name: hostile.pdf\r\nTransfer-Encoding: chunked\r\n\r\n',
    )
    const chunk = Buffer.concat([Buffer.from('10000\r\n'), Buffer.alloc(0x10000), Buffer.from('\r\n')])
    let sent = 0
    let answer = ''
    socket.on('data', (d: Buffer) => (answer += d.toString('latin1')))
    const t0 = performance.now()
    // Writes as fast as the server takes the bytes, never reads an answer as a reason to stop, for 20 s at most.
    const cutOff = await new Promise<boolean>((resolve) => {
      const end = setTimeout(() => resolve(false), 20_000)
      socket.once('close', () => {
        clearTimeout(end)
        resolve(true)
      })
      const pump = (): void => {
        while (!socket.destroyed && sent < 200 * MAX_ATTACHMENT_BYTES) {
          sent += chunk.length
          if (!socket.write(chunk)) return void socket.once('drain', pump)
        }
      }
      pump()
    })
    socket.destroy()
    expect(cutOff).toBe(true)
    expect(answer).toMatch(/^HTTP\/1\.1 413 /)
    expect(answer).toContain('"error":"too_large"')
    expect(sent).toBeLessThan(MAX_ATTACHMENT_BYTES + 16 * 1024 * 1024)
    expect(performance.now() - t0).toBeLessThan(10_000)
  })

  it('a compressed upload is refused (400 invalid_payload): the limit counts the file as it is, never an inflated stream', async () => {
    const res = await fetch(`${server.url}/api/rooms/${room.roomId}/attachments`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${invite(room, 'lender')}`, 'Content-Type': 'application/pdf', 'Content-Encoding': 'gzip', 'X-File-Name': 'z.pdf' },
      body: Buffer.from(gzipSync(Buffer.from(minimalPdf('zipped')))),
    })
    expect(res.status).toBe(400)
    expect(await res.json()).toMatchObject({ error: 'invalid_payload' })
  })

  it('the server goes on: a valid upload right after is stored', async () => {
    const res = await fetch(`${server.url}/api/rooms/${room.roomId}/attachments`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${invite(room, 'lender')}`, 'Content-Type': 'application/pdf', 'X-File-Name': 'ok.pdf' },
      body: Buffer.from(minimalPdf('after')),
    })
    expect(res.status).toBe(201)
  })
})
