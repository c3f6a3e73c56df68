// Issue #16 part 4: re-issuing a role's link (the old one refused, the new one opens the room), and the
// branded 404 page for unknown paths (JSON stays for /api).
import { beforeAll, describe, expect, it } from 'vitest'
import type { CreateRoomResponse, RevokeInvitesResponse } from '../../shared/protocol/http.ts'
import { startTestServer, type TestServer } from '../helpers/server.ts'
import { closeAfterAll } from '../helpers/teardown.ts'

let server: TestServer
const suite = closeAfterAll()
let room: CreateRoomResponse

async function roomStatus(token: string): Promise<{ status: number; error?: unknown }> {
  const res = await fetch(`${server.url}/api/rooms/${room.roomId}`, { headers: { Authorization: `Bearer ${token}` } })
  const body = (await res.json()) as { error?: unknown }
  return { status: res.status, error: body.error }
}

beforeAll(async () => {
  server = suite.track(await startTestServer())
  room = await server.createRoom({ title: 'Links' })
})

describe('re-issuing an invite link', () => {
  it('refuses the old token as revoked and opens the room with the new one; other roles keep theirs', async () => {
    const old = room.invites.lender.token
    expect((await roomStatus(old)).status).toBe(200)
    const res = await fetch(`${server.url}/api/rooms/${room.roomId}/invites/revoke`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${server.operatorKey}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ roles: ['lender'] }),
    })
    expect(res.status).toBe(200)
    const body = (await res.json()) as RevokeInvitesResponse
    expect(body.revoked).toEqual(['lender'])
    const fresh = body.invites.lender!
    expect(fresh.url).toContain(`/room/${room.roomId}#token=`)
    expect(await roomStatus(old)).toEqual({ status: 401, error: 'revoked' })
    expect((await roomStatus(fresh.token)).status).toBe(200)
    expect((await roomStatus(room.invites.borrower.token)).status).toBe(200)
  })
})

describe('a room opened from the lobby', () => {
  it('gives the operator key its archive (the replay the room list links to)', async () => {
    const res = await fetch(`${server.url}/api/rooms/${room.roomId}/archive`, { headers: { Authorization: `Bearer ${server.operatorKey}` } })
    expect(res.status).toBe(200)
  })
})

describe('unknown paths', () => {
  it('answers a branded 404 page in the language the browser asks for', async () => {
    const en = await fetch(`${server.url}/no/such/page`, { headers: { 'Accept-Language': 'en-GB,en;q=0.9' } })
    expect(en.status).toBe(404)
    expect(en.headers.get('content-type')).toMatch(/text\/html/)
    const enHtml = await en.text()
    expect(enHtml).toContain('This page does not exist')
    expect(enHtml).toContain('Negotiation Room')
    expect(enHtml).not.toContain('Cannot GET')

    const zh = await fetch(`${server.url}/no/such/page`, { headers: { 'Accept-Language': 'zh-CN,zh;q=0.9,en;q=0.8' } })
    expect(zh.status).toBe(404)
    const zhHtml = await zh.text()
    expect(zhHtml).toContain('页面不存在')
    expect(zhHtml).toContain('lang="zh-CN"')

    const chosen = await fetch(`${server.url}/nothing-here?lang=zh`, { headers: { 'Accept-Language': 'en' } })
    expect(await chosen.text()).toContain('协商室')
  })

  it('keeps a JSON 404 for unknown /api paths and serves the app for its routes', async () => {
    const api = await fetch(`${server.url}/api/no-such-endpoint`)
    expect(api.status).toBe(404)
    expect(await api.json()).toMatchObject({ error: 'not_found' })
    expect((await fetch(`${server.url}/lobby`)).status).toBe(200)
    expect((await fetch(`${server.url}/room/abc`)).status).toBe(200)
  })
})
