// Organisations and staff sign-in end to end: the first admin from the command line (a separate process on
// the running server's DATA_DIR), sign-in with cookies, staff and API keys, organisation-scoped rooms,
// and every way a credential is refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CreateRoomResponse, RoomInfo, RoomList } from '../../shared/protocol/http.ts'
import type { CreateApiKeyResponse, CreateOrgResponse, SessionInfo, StaffView } from '../../shared/protocol/staff.ts'
import { sessionIdHash } from '../../server/org/sessionTokens.ts'
import { TERMS, startTestServer, type TestServer } from '../helpers/server.ts'
import { StaffBrowser, runCli } from '../helpers/staff.ts'

const ROOM = { title: 'Restructuring for Li Wei', currency: 'CNY', terms: TERMS }
const ADMIN_PASSWORD = 'first admin password'
const AGENT_PASSWORD = 'agent password 123'

let server: TestServer
let admin: StaffBrowser
let agent: StaffBrowser
let agentId: string
let roomId: string

beforeAll(async () => {
  server = await startTestServer({ loginFailuresPerAccount: 3 })
}, 30_000)

afterAll(async () => {
  await server?.close()
})

describe('the first admin, staff and their rooms', () => {
  it('the CLI creates the organisation and its first admin in the running server’s store', async () => {
    const made = await runCli(['admin', 'create', '--org', 'Acme Bank', '--email', 'Ada@acme.test', '--name', 'Ada Admin', '--password-stdin', '--json'], { DATA_DIR: server.dataDir }, `${ADMIN_PASSWORD}\n`)
    expect(made.stderr).toBe('')
    expect(made.code).toBe(0)
    const out = JSON.parse(made.stdout) as { org: { name: string; created: boolean }; password?: string }
    expect(out.org).toMatchObject({ name: 'Acme Bank', created: true })
    expect(out.password).toBeUndefined()
    // A generated password is printed once and works.
    const second = await runCli(['admin', 'create', '--org', 'acme bank', '--email', 'ops@acme.test', '--name', 'Ops'], { DATA_DIR: server.dataDir })
    expect(second.code).toBe(0)
    expect(second.stdout).toMatch(/found organisation Acme Bank/)
    const password = /password: (\S+)/.exec(second.stdout)?.[1]
    expect(password).toMatch(/^[\w-]{24}$/)
    expect((await new StaffBrowser(server).login({ email: 'ops@acme.test', password })).status).toBe(200)
    const again = await runCli(['admin', 'create', '--org', 'Acme Bank', '--email', 'ada@ACME.test', '--name', 'Ada'], { DATA_DIR: server.dataDir })
    expect(again.code).toBe(1)
  }, 60_000)

  it('the admin signs in: an httpOnly SameSite=Lax cookie (not Secure over plain HTTP) and a CSRF token', async () => {
    admin = new StaffBrowser(server)
    const res = await admin.login({ org: 'ACME BANK', email: 'ada@acme.test', password: ADMIN_PASSWORD })
    expect(res.status).toBe(200)
    expect(res.body.staff).toMatchObject({ name: 'Ada Admin', email: 'Ada@acme.test', roles: ['admin'], orgName: 'Acme Bank' })
    const cookie = res.headers.get('set-cookie')!
    expect(cookie).toMatch(/^nr_session=[\w-]{43};/)
    expect(cookie).toMatch(/HttpOnly/i)
    expect(cookie).toMatch(/SameSite=Lax/i)
    expect(cookie).not.toMatch(/Secure/i)
    const me = await admin.request<SessionInfo>('GET', '/api/auth/me')
    expect(me.status).toBe(200)
    expect(me.body.csrfToken).toBe(res.body.csrfToken)
  })

  it('the cookie is Secure behind a trusted proxy that says HTTPS', async () => {
    const proxied = await startTestServer({ trustProxy: true })
    try {
      await runCli(['admin', 'create', '--org', 'P', '--email', 'p@p.test', '--name', 'P', '--password-stdin'], { DATA_DIR: proxied.dataDir }, ADMIN_PASSWORD)
      const res = await fetch(`${proxied.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Forwarded-Proto': 'https' },
        body: JSON.stringify({ email: 'p@p.test', password: ADMIN_PASSWORD }),
      })
      expect(res.status).toBe(200)
      expect(res.headers.get('set-cookie')).toMatch(/; Secure/i)
    } finally {
      await proxied.close()
    }
  }, 60_000)

  it('the admin adds an agent; without the CSRF token nothing changes', async () => {
    const body = { email: 'ben@acme.test', name: 'Ben Agent', roles: ['agent'], password: AGENT_PASSWORD }
    const forged = await admin.request('POST', '/api/org/staff', body, { csrf: false })
    expect(forged.status).toBe(403)
    expect(forged.body).toMatchObject({ error: 'csrf_failed' })
    const made = await admin.request<{ staff: StaffView }>('POST', '/api/org/staff', body)
    expect(made.status).toBe(201)
    expect(made.body.staff).toMatchObject({ email: 'ben@acme.test', roles: ['agent'], disabled: false, hasPassword: true })
    expect(JSON.stringify(made.body)).not.toContain('argon2')
    agentId = made.body.staff.id
    expect((await admin.request('POST', '/api/org/staff', { ...body, email: 'BEN@acme.test' })).status).toBe(409)
    const list = await admin.request<{ staff: StaffView[] }>('GET', '/api/org/staff')
    expect(list.body.staff.map((s) => s.email)).toEqual(['Ada@acme.test', 'ops@acme.test', 'ben@acme.test'])
  })

  it('the agent signs in without naming the organisation and opens a room that belongs to it', async () => {
    agent = new StaffBrowser(server)
    expect((await agent.login({ email: 'ben@acme.test', password: AGENT_PASSWORD })).status).toBe(200)
    expect((await agent.request('POST', '/api/rooms', ROOM, { csrf: false })).status).toBe(403)
    const made = await agent.request<CreateRoomResponse>('POST', '/api/rooms', ROOM)
    expect(made.status).toBe(201)
    roomId = made.body.roomId
    expect(Object.keys(made.body.invites).sort()).toEqual(['borrower', 'lender', 'observer'])
    const info = await agent.request<RoomInfo>('GET', `/api/rooms/${roomId}`)
    expect(info.status).toBe(200)
    expect(info.body).toMatchObject({ createdBy: { kind: 'staff', id: agentId, name: 'Ben Agent' }, lenderInstitution: 'Acme Bank', names: { lender: 'Ben Agent' }, you: { role: 'staff', name: 'Ben Agent' } })
    const list = await agent.request<RoomList>('GET', '/api/rooms')
    expect(list.body.rooms.map((r) => r.roomId)).toEqual([roomId])
    // The room's log names the organisation and the member who opened it.
    const events = await server.store.readEvents(roomId, { toSeq: 1 })
    expect(events[0]!.payload).toMatchObject({ orgId: info.body.orgId, createdBy: { id: agentId } })
  })

  it('another organisation’s admin neither sees nor opens it; the operator still lists every room', async () => {
    const other = await fetch(`${server.url}/api/orgs`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${server.operatorKey}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'Beta Lending', admin: { email: 'ada@acme.test', name: 'Ada at Beta', password: 'beta admin password' } }),
    })
    expect(other.status).toBe(201)
    expect(((await other.json()) as CreateOrgResponse).admin).toMatchObject({ roles: ['admin'], name: 'Ada at Beta' })
    const beta = new StaffBrowser(server)
    // The same e-mail in two organisations: the password tells which account it is.
    const signedIn = await beta.login({ email: 'ada@acme.test', password: 'beta admin password' })
    expect(signedIn.body.staff?.orgName).toBe('Beta Lending')
    expect((await beta.request<RoomList>('GET', '/api/rooms')).body.rooms).toEqual([])
    expect((await beta.request('GET', `/api/rooms/${roomId}`)).status).toBe(403)
    const betaRoom = await beta.request<CreateRoomResponse>('POST', '/api/rooms', ROOM)
    expect(betaRoom.status).toBe(201)
    expect((await admin.request<RoomList>('GET', '/api/rooms')).body.rooms.map((r) => r.roomId)).toEqual([roomId])
    expect((await admin.request('GET', `/api/rooms/${betaRoom.body.roomId}`)).status).toBe(403)
    const all = await fetch(`${server.url}/api/rooms`, { headers: { Authorization: `Bearer ${server.operatorKey}` } })
    expect(((await all.json()) as RoomList).rooms.map((r) => r.roomId).sort()).toEqual([roomId, betaRoom.body.roomId].sort())
  })

  it('an agent sees only their own rooms; an auditor sees all of the organisation’s but opens none', async () => {
    const made = await admin.request<{ staff: StaffView }>('POST', '/api/org/staff', { email: 'cy@acme.test', name: 'Cy', roles: ['agent'], password: AGENT_PASSWORD })
    const cy = new StaffBrowser(server)
    await cy.login({ email: 'cy@acme.test', password: AGENT_PASSWORD })
    expect((await cy.request<RoomList>('GET', '/api/rooms')).body.rooms).toEqual([])
    expect((await cy.request('GET', `/api/rooms/${roomId}`)).status).toBe(403)
    await admin.request('PATCH', `/api/org/staff/${made.body.staff.id}`, { roles: ['auditor'] })
    expect((await cy.request<RoomList>('GET', '/api/rooms')).body.rooms.map((r) => r.roomId)).toEqual([roomId])
    expect((await cy.request('POST', '/api/rooms', ROOM)).status).toBe(403)
  })

  it('the admin sets the organisation’s identity provider; its client secret is never answered', async () => {
    const oidc = { issuer: 'https://idp.acme.test/realms/staff', clientId: 'negotiation-room', clientSecret: 'very-secret', rolesClaim: 'roles' }
    expect((await admin.request('PUT', '/api/org/oidc', { ...oidc, issuer: 'not a url' })).status).toBe(400)
    const set = await admin.request('PUT', '/api/org/oidc', oidc)
    expect(set.status).toBe(200)
    expect(set.body).toMatchObject({ org: { name: 'Acme Bank', oidc: true }, oidc: { issuer: oidc.issuer, clientId: 'negotiation-room', rolesClaim: 'roles', hasClientSecret: true } })
    expect(JSON.stringify((await admin.request('GET', '/api/org')).body)).not.toContain('very-secret')
    expect((await agent.request('PUT', '/api/org/oidc', oidc)).status).toBe(403)
    expect((await agent.request('DELETE', '/api/org/oidc')).status).toBe(403)
    expect((await admin.request('DELETE', '/api/org/oidc')).body).toMatchObject({ org: { oidc: false }, oidc: null })
  })

  it('a member changes their own password with the current one; their other sessions end, this one stays', async () => {
    const elsewhere = new StaffBrowser(server)
    await elsewhere.login({ email: 'ben@acme.test', password: AGENT_PASSWORD })
    expect((await agent.request('POST', '/api/auth/password', { current: 'wrong wrong wrong', password: 'a new agent password' })).status).toBe(403)
    expect((await agent.request('POST', '/api/auth/password', { current: AGENT_PASSWORD, password: 'a new agent password' }, { csrf: false })).status).toBe(403)
    expect((await agent.request('POST', '/api/auth/password', { current: AGENT_PASSWORD, password: 'a new agent password' })).status).toBe(204)
    expect((await agent.request('GET', '/api/auth/me')).status).toBe(200)
    expect((await elsewhere.request('GET', '/api/auth/me')).status).toBe(401)
    expect((await new StaffBrowser(server).login({ email: 'ben@acme.test', password: AGENT_PASSWORD })).status).toBe(401)
    expect((await new StaffBrowser(server).login({ email: 'ben@acme.test', password: 'a new agent password' })).status).toBe(200)
  })

  it('only an admin administers: agents and room tokens are refused, nobody signed in gets 401', async () => {
    expect((await agent.request('GET', '/api/org/staff')).status).toBe(403)
    expect((await agent.request('POST', '/api/org/api-keys', { name: 'x' })).status).toBe(403)
    expect((await agent.request('POST', '/api/orgs', { name: 'Mine' })).status).toBe(403)
    expect((await new StaffBrowser(server).request('GET', '/api/org/staff')).status).toBe(401)
    const room = await server.createRoom()
    const token = room.invites.lender.token
    expect((await new StaffBrowser(server).request('GET', '/api/org/staff', undefined, { bearer: token })).status).toBe(403)
    expect((await new StaffBrowser(server).request('POST', '/api/orgs', { name: 'X' }, { bearer: token })).status).toBe(403)
  })
})

describe('refused credentials', () => {
  it('a forged or unknown cookie: 401', async () => {
    const forged = new StaffBrowser(server)
    forged.cookie = 'nr_session=' + 'A'.repeat(43)
    expect((await forged.request('GET', '/api/auth/me')).status).toBe(401)
    expect((await forged.request('GET', '/api/rooms')).status).toBe(401)
    expect((await forged.request('GET', `/api/rooms/${roomId}`)).status).toBe(401)
  })

  it('an expired session: 401, and it is gone from the store', async () => {
    const [ben] = await server.store.orgs.findStaffByEmail(null, 'ben@acme.test')
    const token = 'expired-session-token-for-the-test-0000000'
    const idHash = sessionIdHash(token)
    await server.store.orgs.createSession({ idHash, staffId: ben!.id, orgId: ben!.orgId, csrfToken: 'c', createdAt: 1, expiresAt: Date.now() - 1, lastSeenAt: Date.now() - 2 })
    const late = new StaffBrowser(server)
    late.cookie = `nr_session=${token}`
    expect((await late.request('GET', '/api/auth/me')).status).toBe(401)
    expect(await server.store.orgs.getSession(idHash)).toBeNull()
  })

  it('an API key opens and lists its organisation’s rooms without CSRF, until revoked; then 401 at once', async () => {
    const made = await admin.request<CreateApiKeyResponse>('POST', '/api/org/api-keys', { name: 'loan system' })
    expect(made.status).toBe(201)
    expect(made.body.key).toMatch(/^nrk_[0-9a-f]{12}_/)
    expect(made.body.apiKey).toMatchObject({ name: 'loan system', roles: ['agent'], revokedAt: null })
    expect((await admin.request('POST', '/api/org/api-keys', { name: 'root', roles: ['admin'] })).status).toBe(400)
    const script = new StaffBrowser(server)
    const room = await script.request<CreateRoomResponse>('POST', '/api/rooms', ROOM, { bearer: made.body.key })
    expect(room.status).toBe(201)
    const listed = await script.request<RoomList>('GET', '/api/rooms', undefined, { bearer: made.body.key })
    expect(listed.body.rooms.map((r) => [r.roomId, r.createdBy?.kind])).toEqual([[room.body.roomId, 'apiKey']])
    const keys = await admin.request<{ apiKeys: { id: string; prefix: string }[] }>('GET', '/api/org/api-keys')
    expect(JSON.stringify(keys.body)).not.toContain(made.body.key)
    expect((await admin.request('DELETE', `/api/org/api-keys/${made.body.apiKey.id}`, undefined, { csrf: false })).status).toBe(403)
    expect((await admin.request('DELETE', `/api/org/api-keys/${made.body.apiKey.id}`)).status).toBe(200)
    const after = await script.request('GET', '/api/rooms', undefined, { bearer: made.body.key })
    expect(after.status).toBe(401)
    expect(after.body).toMatchObject({ error: 'revoked' })
    expect((await script.request('GET', '/api/rooms', undefined, { bearer: `${made.body.key.slice(0, -1)}x` })).status).toBe(401)
  })

  it('a disabled member’s session stops at once', async () => {
    expect((await agent.request('GET', '/api/auth/me')).status).toBe(200)
    expect((await admin.request('PATCH', `/api/org/staff/${agentId}`, { disabled: true })).status).toBe(200)
    expect((await agent.request('GET', '/api/auth/me')).status).toBe(401)
    expect((await agent.request('POST', '/api/rooms', ROOM)).status).toBe(401)
    expect((await new StaffBrowser(server).login({ email: 'ben@acme.test', password: 'a new agent password' })).status).toBe(401)
  })

  it('signing out ends the session; it needs the CSRF token too', async () => {
    const again = new StaffBrowser(server)
    await again.login({ org: 'Acme Bank', email: 'ada@acme.test', password: ADMIN_PASSWORD })
    expect((await again.request('POST', '/api/auth/logout', undefined, { csrf: false })).status).toBe(403)
    const out = await again.request('POST', '/api/auth/logout')
    expect(out.status).toBe(204)
    expect(out.headers.get('set-cookie')).toMatch(/nr_session=;/)
    expect((await again.request('GET', '/api/auth/me')).status).toBe(401)
  })

  it('failed sign-ins: the same answer for an unknown e-mail and a wrong password, then 429 with Retry-After, the right password too', async () => {
    const anon = new StaffBrowser(server)
    const unknown = await anon.login({ email: 'nobody@acme.test', password: 'whatever it is' })
    const wrong = await anon.login({ email: 'ada@acme.test', org: 'Acme Bank', password: 'not the password' })
    expect(unknown.status).toBe(401)
    expect(wrong.status).toBe(401)
    expect(unknown.body).toEqual(wrong.body)
    // The per-account budget is 3 (this server's loginFailuresPerAccount).
    await anon.login({ email: 'ada@acme.test', password: 'still not it' })
    await anon.login({ email: 'ADA@acme.test', password: 'nor this' })
    const blocked = await anon.login({ email: 'ada@acme.test', org: 'Acme Bank', password: ADMIN_PASSWORD })
    expect(blocked.status).toBe(429)
    expect(blocked.body).toMatchObject({ error: 'rate_limited' })
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(blocked.headers.get('set-cookie')).toBeNull()
  })
})
