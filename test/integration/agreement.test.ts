// The signed agreement over HTTP: JSON and PDF (any token of the room), the public key, the offline verifier
// on a downloaded (and a tampered) file, and amendments opened from a locked room.
import { execFile } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Agreement } from '../../shared/agreement/agreement.ts'
import { verifyArchive } from '../../shared/archive/verifyArchive.ts'
import { readContent } from '../../shared/document/roomDoc.ts'
import type { AmendResponse, CreateRoomResponse, RoomInfo } from '../../shared/protocol/http.ts'
import { joinAndLock, type Party } from '../helpers/negotiation.ts'
import { connectProvider, invite, startTestServer, waitFor, type TestServer } from '../helpers/server.ts'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const CLAUSE = '借款人承诺按时还款。'

let server: TestServer
let room: CreateRoomResponse
let open: CreateRoomResponse
const parties: Party[] = []
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'agreement-it-'))

async function get(p: string, token?: string): Promise<Response> {
  return fetch(`${server.url}${p}`, { headers: token ? { Authorization: `Bearer ${token}` } : {} })
}

async function post(p: string, token?: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${server.url}${p}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: '{}',
  })
  return { status: res.status, body: (await res.json()) as Record<string, unknown> }
}

/** The text of the PDF, whitespace removed (pdfjs splits runs differently from how they were written). */
async function pdfText(pdf: Uint8Array): Promise<string> {
  const doc = await getDocument({ data: pdf, disableFontFace: true, useSystemFonts: false, verbosity: 0 }).promise
  let text = ''
  for (let i = 1; i <= doc.numPages; i++) {
    const content = await (await doc.getPage(i)).getTextContent()
    text += content.items.map((item) => ('str' in item ? item.str : '')).join('')
  }
  await doc.destroy()
  return text.replace(/\s+/g, '')
}

function cli(...args: string[]): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve) => {
    execFile('npx', ['tsx', 'cli/main.ts', ...args], { cwd: ROOT, timeout: 60_000 }, (err, stdout) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout })
    })
  })
}

beforeAll(async () => {
  server = await startTestServer()
  room = await server.createRoom({
    title: 'Repayment plan',
    names: { borrower: '张伟', lender: 'City Bank', observer: 'Ms Mediator' },
    observerLabel: 'mediator',
    lenderInstitution: '示例城市银行股份有限公司',
  })
  open = await server.createRoom()
  await joinAndLock(server, room, parties, (b, l) => {
    b.provider.doc.getText('clauses').insert(0, CLAUSE)
    l.provider.doc.getMap('commitments').set('noHomeVisits', true)
  })
}, 30_000)

afterAll(async () => {
  for (const p of parties) p.close()
  await server.close()
  fs.rmSync(tmp, { recursive: true, force: true })
})

describe('GET /api/rooms/:id/agreement', () => {
  it('answers any token of the room (and the operator); 404 not_locked before the lock; nothing for other rooms', async () => {
    for (const who of [invite(room, 'borrower'), invite(room, 'lender'), invite(room, 'observer'), server.operatorKey]) {
      const res = await get(`/api/rooms/${room.roomId}/agreement`, who)
      expect(res.status).toBe(200)
      expect(((await res.json()) as Agreement).roomId).toBe(room.roomId)
    }
    const before = await get(`/api/rooms/${open.roomId}/agreement`, invite(open, 'borrower'))
    expect(before.status).toBe(404)
    expect(await before.json()).toMatchObject({ error: 'not_locked' })
    expect((await get(`/api/rooms/${open.roomId}/agreement.pdf`, invite(open, 'lender'))).status).toBe(404)
    expect((await get(`/api/rooms/${room.roomId}/agreement`, invite(open, 'borrower'))).status).toBe(403)
    expect((await get(`/api/rooms/${room.roomId}/agreement`)).status).toBe(401)
  })

  it('serves the public key to anyone, as JWK and PEM', async () => {
    const res = await get('/api/public-key')
    expect(res.status).toBe(200)
    const key = (await res.json()) as Record<string, string>
    expect(key).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig', kid: server.serverKey.kid })
    expect(key.pem).toMatch(/^-----BEGIN PUBLIC KEY-----/)
  })

  it('verifies offline with the CLI, and a tampered copy does not', async () => {
    const text = await (await get(`/api/rooms/${room.roomId}/agreement`, invite(room, 'lender'))).text()
    const agreement = JSON.parse(text) as Agreement
    const key = (await (await get('/api/public-key')).json()) as { pem: string }
    const keyFile = path.join(tmp, 'server.pub.pem')
    fs.writeFileSync(keyFile, key.pem)
    const good = path.join(tmp, 'agreement.json')
    fs.writeFileSync(good, text)
    const tampered = path.join(tmp, 'tampered.json')
    const changed = structuredClone(agreement)
    changed.content.clauses = '借款人无需还款。'
    fs.writeFileSync(tampered, JSON.stringify(changed, null, 2))

    const ok = await cli('verify', good, '--key', keyFile)
    expect(ok.code).toBe(0)
    expect(ok.stdout.split('\n')[0]).toBe('valid')
    const bad = await cli('verify', tampered, '--key', keyFile)
    expect(bad.code).toBe(1)
    expect(bad.stdout).toMatch(/^invalid: /)
  }, 120_000)

  it('renders the PDF in Chinese and English, as an attachment, with the clause typed in the room', async () => {
    const zh = await get(`/api/rooms/${room.roomId}/agreement.pdf?lang=zh`, invite(room, 'observer'))
    expect(zh.status).toBe(200)
    expect(zh.headers.get('content-type')).toBe('application/pdf')
    expect(zh.headers.get('content-disposition')).toBe(`attachment; filename="agreement-${room.roomId}-zh.pdf"`)
    const zhBytes = Buffer.from(await zh.arrayBuffer())
    expect(zhBytes.subarray(0, 5).toString()).toBe('%PDF-')
    const zhText = await pdfText(new Uint8Array(zhBytes)) // a copy: pdfjs takes its buffer over
    expect(zhText).toContain('借款人承诺按时还款')
    expect(zhText).toContain('ZhangWei') // the full name typed when confirming
    expect(zhText).toContain('借款协议')
    expect(zhText).toContain('示例城市银行股份有限公司') // the lending institution given at creation

    const en = await get(`/api/rooms/${room.roomId}/agreement.pdf`, invite(room, 'borrower'))
    expect(en.status).toBe(200)
    const enText = await pdfText(new Uint8Array(await en.arrayBuffer()))
    expect(enText).toContain('借款人承诺按时还款')
    expect(enText).not.toContain('借款协议')

    // Rendered once per language, then served from DATA_DIR/agreements.
    const hash = (await (await get(`/api/rooms/${room.roomId}`, invite(room, 'borrower'))).json()) as RoomInfo
    const cached = fs.readdirSync(path.join(server.dataDir, 'agreements')).filter((f) => f.startsWith(`${hash.agreementHash}.zh.`))
    expect(cached).toEqual([expect.stringMatching(/^[0-9a-f]{64}\.zh\.[0-9a-f]{16}\.pdf$/)])
    const again = await get(`/api/rooms/${room.roomId}/agreement.pdf?lang=zh`, invite(room, 'lender'))
    expect(Buffer.from(await again.arrayBuffer()).equals(zhBytes)).toBe(true)
    expect((await get(`/api/rooms/${room.roomId}/agreement.pdf?lang=fr`, invite(room, 'lender'))).status).toBe(400)
  }, 60_000)
})

describe('the archive of a locked room', () => {
  it('verifies as a dispute bundle: the log locks the agreed content, and the bundle carries the signed agreement', async () => {
    const res = await get(`/api/rooms/${room.roomId}/dispute-bundle`, invite(room, 'observer'))
    expect(res.status).toBe(200)
    const report = await verifyArchive(await res.text())
    expect(report.problems).toEqual([])
    expect(report.valid).toBe(true)
    const agreement = (await (await get(`/api/rooms/${room.roomId}/agreement`, invite(room, 'lender'))).json()) as Agreement
    expect(report.contentHashAtLock).toBe(agreement.contentHash)
    expect(report.agreement).not.toBeNull()
  })
})

describe('POST /api/rooms/:id/amend', () => {
  it('opens a linked room pre-filled with the agreed content and the same people; one open amendment at a time', async () => {
    expect(await post(`/api/rooms/${open.roomId}/amend`, invite(open, 'borrower'))).toMatchObject({ status: 409, body: { error: 'not_locked' } })
    expect(await post(`/api/rooms/${room.roomId}/amend`, invite(room, 'observer'))).toMatchObject({ status: 403, body: { error: 'forbidden' } })
    expect(await post(`/api/rooms/${room.roomId}/amend`, invite(open, 'lender'))).toMatchObject({ status: 403 })

    const agreement = (await (await get(`/api/rooms/${room.roomId}/agreement`, invite(room, 'lender'))).json()) as Agreement
    const answers = await Promise.all([
      post(`/api/rooms/${room.roomId}/amend`, invite(room, 'lender')),
      post(`/api/rooms/${room.roomId}/amend`, invite(room, 'borrower')),
    ])
    // Either request may win: exactly one creates the room, the other is answered that room.
    const winner = answers.findIndex((a) => a.status === 201)
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1)
    const [first, concurrent] = [answers[winner]!, answers[1 - winner]!]
    const winnerActor = winner === 0 ? { role: 'lender', name: 'City Bank' } : { role: 'borrower', name: '张伟' }
    const created = first.body as unknown as AmendResponse
    expect(created).toMatchObject({ amendmentOf: room.roomId, existing: false })
    expect(concurrent).toMatchObject({ status: 200, body: { roomId: created.roomId, existing: true } })
    for (const role of ['borrower', 'lender', 'observer'] as const) {
      expect(created.invites[role].url).toMatch(new RegExp(`/room/${created.roomId}#token=`))
    }

    // The new room: linked, same names, pre-filled, negotiating.
    const info = (await (await get(`/api/rooms/${created.roomId}`, created.invites.borrower.token)).json()) as RoomInfo
    expect(info).toMatchObject({
      phase: 'negotiating',
      title: 'Repayment plan',
      amendmentOf: room.roomId,
      names: { borrower: '张伟', lender: 'City Bank', observer: 'Ms Mediator' },
      observerLabel: 'mediator',
      you: { role: 'borrower', name: '张伟' },
    })
    expect(info.original).toMatchObject({ principal: agreement.content.terms.principal, termMonths: agreement.content.terms.termMonths })
    const p = connectProvider(server, created.roomId, created.invites.lender.token)
    await p.synced
    const content = readContent(p.doc)
    p.destroy()
    expect(content).toMatchObject({ terms: agreement.content.terms, clauses: CLAUSE, commitments: { noHomeVisits: true }, profile: {} })
    const events = await server.store.readEvents(created.roomId)
    expect(events[0]).toMatchObject({ type: 'create', payload: { amendmentOf: room.roomId } })

    // The old room lists it, logs it (a system line), and stays locked.
    const old = (await (await get(`/api/rooms/${room.roomId}`, invite(room, 'observer'))).json()) as RoomInfo
    expect(old).toMatchObject({ phase: 'locked', amendments: [created.roomId] })
    expect((await server.store.readEvents(room.roomId)).filter((e) => e.type === 'amend')).toEqual([
      expect.objectContaining({ actor: winnerActor, payload: { roomId: created.roomId } }),
    ])
    await waitFor(() => parties[0]!.log.events.some((e) => e.type === 'amended'), 'amended line')
    const list = (await (await get('/api/rooms', server.operatorKey)).json()) as { rooms: Record<string, unknown>[] }
    expect(list.rooms.find((r) => r.roomId === created.roomId)).toMatchObject({ amendmentOf: room.roomId, phase: 'negotiating' })
  })
})
