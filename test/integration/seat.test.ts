// The lender's seat is a person: a signed-in agent takes the seat of a room they opened, edits, chats and
// confirms over the real transports with the minted token; the log names them on every lender event, the
// signed agreement and its PDF name them and their organisation; who may not take a seat is refused.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Agreement } from '../../shared/agreement/agreement.ts'
import { verifyAgreement } from '../../shared/agreement/verifyAgreement.ts'
import { parseArchiveFile } from '../../shared/archive/archiveFile.ts'
import { verifyArchive } from '../../shared/archive/verifyArchive.ts'
import type { CreateRoomResponse } from '../../shared/protocol/http.ts'
import type { SeatResponse } from '../../shared/protocol/seat.ts'
import type { CreateApiKeyResponse, StaffView } from '../../shared/protocol/staff.ts'
import { confirm, joinAs, joinWithToken, settledHash, type Party } from '../helpers/negotiation.ts'
import { HAVE_PDFTOTEXT, pdftotext, warnPdftotextMissing } from '../helpers/pdftotext.ts'
import { TERMS, emitAck, invite, startTestServer, waitFor, type TestServer } from '../helpers/server.ts'
import { StaffBrowser, runCli } from '../helpers/staff.ts'

const PASSWORD = 'a long enough password'
const ROOM = { title: 'Restructuring for Wang Fang', currency: 'CNY', terms: TERMS, names: { borrower: 'Wang Fang' } }

let server: TestServer
let admin: StaffBrowser
let orgId: string
const staff: Record<'agent' | 'otherAgent' | 'auditor' | 'supervisor', { browser: StaffBrowser; id: string }> = {} as never
let room: CreateRoomResponse
let seat: SeatResponse
const parties: Party[] = []

async function member(key: keyof typeof staff, name: string, roles: string[]): Promise<void> {
  const email = `${key.toLowerCase()}@acme.test`
  const made = await admin.request<{ staff: StaffView }>('POST', '/api/org/staff', { email, name, roles, password: PASSWORD })
  expect(made.status).toBe(201)
  const browser = new StaffBrowser(server)
  expect((await browser.login({ email, password: PASSWORD })).status).toBe(200)
  staff[key] = { browser, id: made.body.staff.id }
}

async function get(path: string, token: string): Promise<Response> {
  return fetch(`${server.url}${path}`, { headers: { Authorization: `Bearer ${token}` } })
}

beforeAll(async () => {
  server = await startTestServer()
  const made = await runCli(['admin', 'create', '--org', 'Acme Bank', '--email', 'ada@acme.test', '--name', 'Ada Admin', '--password-stdin'], { DATA_DIR: server.dataDir }, `${PASSWORD}\n`)
  expect(made.code).toBe(0)
  admin = new StaffBrowser(server)
  const signedIn = await admin.login({ email: 'ada@acme.test', password: PASSWORD })
  expect(signedIn.status).toBe(200)
  orgId = signedIn.body.staff.orgId
  await member('agent', 'Ben Agent', ['agent'])
  await member('otherAgent', 'Cai Agent', ['agent'])
  await member('auditor', 'Dai Auditor', ['auditor'])
  await member('supervisor', 'Eve Supervisor', ['supervisor'])
  const opened = await staff.agent.browser.request<CreateRoomResponse>('POST', '/api/rooms', ROOM)
  expect(opened.status).toBe(201)
  room = opened.body
}, 60_000)

afterAll(async () => {
  for (const p of parties) p.close()
  await server?.close()
})

describe('the lender’s seat', () => {
  it('the agent who opened the room takes the lender’s seat: a token bound to them and a link to the room', async () => {
    const res = await staff.agent.browser.request<SeatResponse>('POST', `/api/rooms/${room.roomId}/seat`, {})
    expect(res.status).toBe(200)
    seat = res.body
    expect(seat.role).toBe('lender')
    expect(seat.url).toBe(`${server.url}/room/${room.roomId}#token=${seat.token}`)
    expect(seat.expiresAt).toBeGreaterThan(Date.now())
    const token = await server.tokens.verifyForRoom(seat.token, room.roomId)
    expect(token).toMatchObject({ ok: true, role: 'lender', name: 'Ben Agent', staffId: staff.agent.id, orgId, orgName: 'Acme Bank' })
    // The invite-link lender's token carries nobody.
    expect(await server.tokens.verifyForRoom(invite(room, 'lender'), room.roomId)).not.toHaveProperty('staffId')
  })

  it('refuses who may not take it: no CSRF token, an auditor, another agent, another organisation, a key, a token', async () => {
    const path = `/api/rooms/${room.roomId}/seat`
    const noCsrf = await staff.agent.browser.request('POST', path, {}, { csrf: false })
    expect(noCsrf).toMatchObject({ status: 403, body: { error: 'csrf_failed' } })
    expect(await staff.auditor.browser.request('POST', path, {})).toMatchObject({ status: 403, body: { error: 'forbidden' } })
    expect(await staff.auditor.browser.request('POST', path, { role: 'observer' })).toMatchObject({ status: 403, body: { error: 'forbidden' } })
    expect(await staff.otherAgent.browser.request('POST', path, {})).toMatchObject({ status: 403, body: { error: 'forbidden' } })
    expect(await staff.agent.browser.request('POST', path, { role: 'observer' })).toMatchObject({ status: 403, body: { error: 'forbidden' } })
    expect(await staff.agent.browser.request('POST', path, { role: 'borrower' })).toMatchObject({ status: 400, body: { error: 'invalid_payload' } })

    const beta = await fetch(`${server.url}/api/orgs`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${server.operatorKey}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'Beta Lending', admin: { email: 'boss@beta.test', name: 'Beta Boss', password: PASSWORD } }),
    })
    expect(beta.status).toBe(201)
    const betaAdmin = new StaffBrowser(server)
    expect((await betaAdmin.login({ email: 'boss@beta.test', password: PASSWORD })).status).toBe(200)
    expect(await betaAdmin.request('POST', path, {})).toMatchObject({ status: 403, body: { error: 'forbidden' } })

    const key = await admin.request<CreateApiKeyResponse>('POST', '/api/org/api-keys', { name: 'script', roles: ['supervisor'] })
    expect(key).toMatchObject({ status: 201 })
    expect(await new StaffBrowser(server).request('POST', path, {}, { bearer: key.body.key })).toMatchObject({ status: 403, body: { error: 'forbidden' } })
    expect(await new StaffBrowser(server).request('POST', path, {}, { bearer: invite(room, 'lender') })).toMatchObject({ status: 403 })
    expect(await new StaffBrowser(server).request('POST', path, {}, { bearer: server.operatorKey })).toMatchObject({ status: 403 })
    expect((await new StaffBrowser(server).request('POST', path, {})).status).toBe(401)
    expect((await staff.agent.browser.request('POST', '/api/rooms/no-such-room/seat', {})).status).toBe(404)
  }, 30_000)

  it('a supervisor may take the lender’s seat of any of the organisation’s rooms, or an observer’s', async () => {
    const lender = await staff.supervisor.browser.request<SeatResponse>('POST', `/api/rooms/${room.roomId}/seat`, {})
    expect(lender).toMatchObject({ status: 200, body: { role: 'lender' } })
    const observer = await staff.supervisor.browser.request<SeatResponse>('POST', `/api/rooms/${room.roomId}/seat`, { role: 'observer' })
    expect(observer).toMatchObject({ status: 200, body: { role: 'observer' } })
    expect(await server.tokens.verifyForRoom(observer.body.token, room.roomId)).toMatchObject({ ok: true, role: 'observer', staffId: staff.supervisor.id })
  })

  it('the agent negotiates with the borrower over both transports and the room locks; the log names the agent', async () => {
    const lender = await joinWithToken(server, room.roomId, 'lender', seat.token)
    parties.push(lender)
    const borrower = await joinAs(server, room, 'borrower')
    parties.push(borrower)
    lender.provider.doc.getText('clauses').insert(0, 'Penalty interest waived. ')
    expect(await emitAck(lender.socket, 'chat:send', { clientId: 'seat-chat-1', text: 'I can waive the penalty.' })).toMatchObject({ ok: true })
    await waitFor(() => borrower.provider.doc.getText('clauses').toString().includes('Penalty'), 'the borrower sees the lender’s edit')
    const hash = await settledHash(borrower)
    await settledHash(lender)
    expect(await confirm(borrower, hash, 'Wang Fang')).toMatchObject({ ok: true })
    expect(await confirm(lender, hash, 'Benjamin Agent')).toMatchObject({ ok: true, state: { phase: 'locked' } })

    const archiveRes = await get(`/api/rooms/${room.roomId}/archive`, invite(room, 'borrower'))
    expect(archiveRes.status).toBe(200)
    const text = await archiveRes.text()
    const archive = parseArchiveFile(text)
    if (!archive.ok) throw new Error(archive.error)
    const byLender = archive.value.events.filter((e) => e.actor.role === 'lender' && e.type !== 'join' && e.type !== 'leave')
    expect(new Set(byLender.map((e) => e.type))).toEqual(new Set(['update', 'chat', 'confirm']))
    for (const e of byLender) expect(e.actor).toEqual({ role: 'lender', name: 'Ben Agent', staffId: staff.agent.id, orgId })
    for (const e of archive.value.events.filter((e) => e.actor.role === 'borrower')) expect(e.actor).not.toHaveProperty('staffId')
    const confirmEvent = byLender.find((e) => e.type === 'confirm')!
    expect(confirmEvent.payload).toMatchObject({ fullName: 'Benjamin Agent', staff: { staffId: staff.agent.id, name: 'Ben Agent', orgId, orgName: 'Acme Bank' } })
    // The staff fields are hashed: the chain verifies as exported, and breaks when one is changed.
    expect(await verifyArchive(text)).toMatchObject({ valid: true })
    const forged = JSON.parse(text) as { events: { actor: { staffId?: string } }[] }
    forged.events.find((e) => e.actor.staffId)!.actor.staffId = staff.otherAgent.id
    expect(await verifyArchive(JSON.stringify(forged))).toMatchObject({ valid: false })
  }, 30_000)

  it('the signed agreement and its PDF name the agent who confirmed for the lender and their organisation', async () => {
    const res = await get(`/api/rooms/${room.roomId}/agreement`, invite(room, 'borrower'))
    expect(res.status).toBe(200)
    const agreement = (await res.json()) as Agreement
    expect(agreement.lenderInstitution).toBe('Acme Bank')
    const lender = agreement.confirmations.find((c) => c.role === 'lender')!
    expect(lender).toMatchObject({ name: 'Benjamin Agent', staff: { staffId: staff.agent.id, name: 'Ben Agent', orgId, orgName: 'Acme Bank' } })
    expect(agreement.confirmations.find((c) => c.role === 'borrower')).not.toHaveProperty('staff')
    const verified = await verifyAgreement(agreement, { publicKey: server.serverKey.publicJwk })
    expect(verified.problems).toEqual([])
    expect(verified.valid).toBe(true)
    // And offline, as anyone holding the file checks it: `npm run cli -- verify FILE`.
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'seat-')), 'agreement.json')
    fs.writeFileSync(file, JSON.stringify(agreement))
    const cli = await runCli(['verify', file], {})
    expect(cli).toMatchObject({ code: 0 })
    // The signature covers the staff member: naming another breaks it.
    const forged = structuredClone(agreement)
    forged.confirmations.find((c) => c.role === 'lender')!.staff!.name = 'Someone Else'
    expect((await verifyAgreement(forged, { publicKey: server.serverKey.publicJwk })).valid).toBe(false)

    if (!HAVE_PDFTOTEXT) return warnPdftotextMissing('seat agreement PDF')
    for (const [lang, label] of [['en', 'staff ID'], ['zh', '员工编号']] as const) {
      const pdf = await get(`/api/rooms/${room.roomId}/agreement.pdf?lang=${lang}`, invite(room, 'borrower'))
      expect(pdf.status).toBe(200)
      const pdfText = (await pdftotext(new Uint8Array(await pdf.arrayBuffer()))).replace(/\s+/g, ' ')
      expect(pdfText).toContain('Ben Agent')
      // A long id may wrap at one of its hyphens, which the text extraction then drops.
      expect(pdfText.replace(/[-\s]/g, '')).toContain(staff.agent.id.replace(/-/g, ''))
      expect(pdfText).toContain('Acme Bank')
      expect(pdfText).toContain(label)
    }
  }, 30_000)

  it('the invite-link lender of another room is logged and signed as before, with no staff member', async () => {
    const opened = await staff.agent.browser.request<CreateRoomResponse>('POST', '/api/rooms', ROOM)
    const other = opened.body
    const lender = await joinAs(server, other, 'lender')
    const borrower = await joinAs(server, other, 'borrower')
    parties.push(lender, borrower)
    const hash = await settledHash(borrower)
    await settledHash(lender)
    expect(await confirm(borrower, hash, 'Wang Fang')).toMatchObject({ ok: true })
    expect(await confirm(lender, hash, 'Li Na')).toMatchObject({ ok: true, state: { phase: 'locked' } })
    const agreement = (await (await get(`/api/rooms/${other.roomId}/agreement`, invite(other, 'lender'))).json()) as Agreement
    expect(agreement.confirmations.find((c) => c.role === 'lender')).not.toHaveProperty('staff')
    expect((await verifyAgreement(agreement, { publicKey: server.serverKey.publicJwk })).valid).toBe(true)
    const events = await server.store.readEvents(other.roomId)
    expect(events.filter((e) => e.actor.role === 'lender').every((e) => e.actor.staffId === undefined)).toBe(true)
  }, 30_000)
})
