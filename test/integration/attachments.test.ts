// Evidence attachments over HTTP: who may upload, the type decided by content, the 10 MiB cap,
// content-addressed storage with dedup, download only by members of the room that logged it.
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import type { AttachmentInfo } from '../../shared/protocol/attachment.ts'
import type { CreateRoomResponse } from '../../shared/protocol/http.ts'
import { MAX_ATTACHMENT_BYTES } from '../../server/attachments/sniffType.ts'
import { minimalJpeg, minimalPdf, minimalPng, upload } from '../helpers/evidenceFiles.ts'
import { connectSocket, connected, invite, startTestServer, waitFor, type TestServer } from '../helpers/server.ts'
import { closeAfterAll } from '../helpers/teardown.ts'

let server: TestServer
const suite = closeAfterAll()
let a: CreateRoomResponse
let b: CreateRoomResponse

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex')
const stored = (): string[] => {
  const dir = path.join(server.dataDir, 'attachments')
  return fs.existsSync(dir) ? fs.readdirSync(dir).sort() : []
}

async function list(roomId: string, token: string): Promise<AttachmentInfo[]> {
  const res = await fetch(`${server.url}/api/rooms/${roomId}/attachments`, { headers: { Authorization: `Bearer ${token}` } })
  expect(res.status).toBe(200)
  return ((await res.json()) as { attachments: AttachmentInfo[] }).attachments
}

async function download(roomId: string, hash: string, token: string | null): Promise<Response> {
  return fetch(`${server.url}/api/rooms/${roomId}/attachments/${hash}`, { headers: token ? { Authorization: `Bearer ${token}` } : {} })
}

beforeAll(async () => {
  server = suite.track(await startTestServer())
  a = await server.createRoom({ title: 'Room A', names: { borrower: 'Wang Fang', lender: 'City Bank' } })
  b = await server.createRoom({ title: 'Room B' })
})

describe('POST /api/rooms/:id/attachments', () => {
  it('takes a PDF, a PNG and a JPEG from the parties, typed by content, and tells the room live', async () => {
    const { socket, log } = connectSocket(server, invite(a, 'observer'))
    await connected(socket)
    try {
      const pdf = minimalPdf('statement')
      const r1 = await upload(server, a.roomId, invite(a, 'borrower'), pdf, 'bank statement.pdf')
      expect(r1.status).toBe(201)
      expect(r1.body).toMatchObject({
        duplicate: false,
        attachment: { sha256: sha(pdf), size: pdf.length, mediaType: 'application/pdf', name: 'bank statement.pdf', uploadedBy: { role: 'borrower', name: 'Wang Fang' } },
      })
      // The client's Content-Type and the name's extension do not decide the type.
      const png = minimalPng()
      const r2 = await upload(server, a.roomId, invite(a, 'lender'), png, '收据', 'application/pdf')
      expect(r2).toMatchObject({ status: 201, body: { attachment: { mediaType: 'image/png', name: '收据.png', uploadedBy: { role: 'lender' } } } })
      const jpeg = minimalJpeg()
      const r3 = await upload(server, a.roomId, invite(a, 'borrower'), jpeg, '../../etc/photo.jpeg', 'image/jpeg')
      expect(r3).toMatchObject({ status: 201, body: { attachment: { mediaType: 'image/jpeg', name: 'photo.jpeg' } } })

      await waitFor(() => log.events.filter((e) => e.type === 'attached').length === 3, 'three attached lines')
      const line = log.events.find((e) => e.type === 'attached')!
      expect(line).toMatchObject({ actor: { role: 'borrower', name: 'Wang Fang' }, params: { sha256: sha(pdf), name: 'bank statement.pdf', mediaType: 'application/pdf', size: pdf.length } })

      const listed = await list(a.roomId, invite(a, 'observer'))
      expect(listed.map((x) => x.sha256)).toEqual([sha(pdf), sha(png), sha(jpeg)])
      expect(listed[0]!.seq).toBeLessThan(listed[1]!.seq)
      for (const h of [sha(pdf), sha(png), sha(jpeg)]) expect(stored()).toContain(h)
      // The room knows its evidence (the lock lists it in the agreement).
      const inRoom = await server.registry.withRoom(a.roomId, (room) => room.attachments.map((x) => x.sha256))
      expect(inRoom).toEqual([sha(pdf), sha(png), sha(jpeg)])
    } finally {
      socket.close()
    }
  })

  it('refuses a text file renamed .pdf with 415 unsupported_type; nothing is stored or logged', async () => {
    const before = { files: stored(), list: await list(a.roomId, invite(a, 'lender')), head: (await server.store.getRoom(a.roomId))!.lastSeq }
    const text = new TextEncoder().encode('Dear lender, here is my income statement.\n')
    const r = await upload(server, a.roomId, invite(a, 'borrower'), text, 'income.pdf', 'application/pdf')
    expect(r).toMatchObject({ status: 415, body: { error: 'unsupported_type' } })
    expect(String(r.body.message)).toMatch(/PDF, PNG and JPEG/)
    expect(stored()).toEqual(before.files)
    expect(await list(a.roomId, invite(a, 'lender'))).toEqual(before.list)
    expect((await server.store.getRoom(a.roomId))!.lastSeq).toBe(before.head)
  })

  it('refuses more than 10 MiB with 413 too_large, announced or streamed; nothing is stored', async () => {
    const before = { files: stored(), head: (await server.store.getRoom(a.roomId))!.lastSeq }
    // A real PDF header, so only the size is wrong.
    const big = new Uint8Array(MAX_ATTACHMENT_BYTES + 1)
    big.set(minimalPdf())
    const r = await upload(server, a.roomId, invite(a, 'borrower'), big, 'huge.pdf', 'application/pdf')
    expect(r).toMatchObject({ status: 413, body: { error: 'too_large' } })

    // Without a Content-Length (chunked): cut off once the limit is passed.
    let sent = 0
    const chunk = new Uint8Array(1024 * 1024)
    chunk.set(minimalPdf())
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent > MAX_ATTACHMENT_BYTES + 2 * chunk.length) return controller.close()
        sent += chunk.length
        controller.enqueue(chunk)
      },
    })
    const r2 = await upload(server, a.roomId, invite(a, 'lender'), stream, 'streamed.pdf', 'application/pdf')
    expect(r2).toMatchObject({ status: 413, body: { error: 'too_large' } })
    expect(stored()).toEqual(before.files)
    expect((await server.store.getRoom(a.roomId))!.lastSeq).toBe(before.head)
  })

  it('refuses observers, the operator, other rooms and missing tokens', async () => {
    const before = stored()
    const pdf = minimalPdf('observer')
    expect(await upload(server, a.roomId, invite(a, 'observer'), pdf, 'x.pdf')).toMatchObject({ status: 403, body: { error: 'forbidden' } })
    expect(await upload(server, a.roomId, server.operatorKey, pdf, 'x.pdf')).toMatchObject({ status: 403, body: { error: 'forbidden' } })
    expect(await upload(server, a.roomId, invite(b, 'borrower'), pdf, 'x.pdf')).toMatchObject({ status: 403, body: { error: 'forbidden' } })
    expect(await upload(server, a.roomId, null, pdf, 'x.pdf')).toMatchObject({ status: 401, body: { error: 'unauthorized' } })
    expect(await upload(server, a.roomId, 'not.a.token', pdf, 'x.pdf')).toMatchObject({ status: 401, body: { error: 'unauthorized' } })
    expect(await upload(server, a.roomId, invite(a, 'borrower'), new Uint8Array(0), 'empty.pdf')).toMatchObject({ status: 415, body: { error: 'unsupported_type' } })
    expect(stored()).toEqual(before)
  })

  it('stores the same bytes once: a second upload in the room answers the first record, another room logs its own', async () => {
    const pdf = minimalPdf('dedup')
    const first = await upload(server, a.roomId, invite(a, 'borrower'), pdf, 'contract.pdf')
    expect(first.status).toBe(201)
    const filesAfterFirst = stored()
    const again = await upload(server, a.roomId, invite(a, 'lender'), pdf, 'same-contract.pdf')
    expect(again.status).toBe(200)
    expect(again.body.duplicate).toBe(true)
    expect(again.body.attachment).toEqual(first.body.attachment)
    const inB = await upload(server, b.roomId, invite(b, 'lender'), pdf, 'contract copy.pdf')
    expect(inB).toMatchObject({ status: 201, body: { duplicate: false, attachment: { sha256: sha(pdf), name: 'contract copy.pdf' } } })
    expect(stored()).toEqual(filesAfterFirst)
    expect((await list(a.roomId, invite(a, 'borrower'))).filter((x) => x.sha256 === sha(pdf))).toHaveLength(1)
    // No temporary files are left behind.
    expect(stored().every((f) => /^[0-9a-f]{64}$/.test(f))).toBe(true)
  })
})

describe('GET /api/rooms/:id/attachments/:sha256', () => {
  it('serves the bytes to members with the recorded type, as a download, not sniffed', async () => {
    const png = minimalPng()
    for (const token of [invite(a, 'borrower'), invite(a, 'observer'), server.operatorKey]) {
      const res = await download(a.roomId, sha(png), token)
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toBe('image/png')
      expect(res.headers.get('x-content-type-options')).toBe('nosniff')
      expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="__\.png"; filename\*=UTF-8''%E6%94%B6%E6%8D%AE\.png$/)
      expect(new Uint8Array(await res.arrayBuffer())).toEqual(png)
    }
  })

  it('opens nothing for another room, a missing token, or a hash the room does not hold', async () => {
    const png = minimalPng()
    expect((await download(a.roomId, sha(png), invite(b, 'borrower'))).status).toBe(403)
    expect((await download(a.roomId, sha(png), null)).status).toBe(401)
    // Room B's token on room B's path: the file exists on disk, but room B never logged it.
    const res = await download(b.roomId, sha(png), invite(b, 'borrower'))
    expect(res.status).toBe(404)
    expect(await res.json()).toMatchObject({ error: 'not_found' })
    expect((await download(a.roomId, 'f'.repeat(64), invite(a, 'lender'))).status).toBe(404)
    expect((await download(a.roomId, '..%2F..%2Fnegotiation.db', invite(a, 'lender'))).status).toBe(404)
  })

  it('keeps the list across a restart (read from the log)', async () => {
    const before = await list(a.roomId, invite(a, 'observer'))
    server = await server.restart()
    expect(await list(a.roomId, invite(a, 'observer'))).toEqual(before)
    const inRoom = await server.registry.withRoom(a.roomId, (room) => room.attachments)
    expect(inRoom).toEqual(before)
    // Still a duplicate after the reload.
    const again = await upload(server, a.roomId, invite(a, 'lender'), minimalPdf('statement'), 'again.pdf')
    expect(again).toMatchObject({ status: 200, body: { duplicate: true } })
  })
})
