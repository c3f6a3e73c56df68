import { SignJWT } from 'jose'
import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { Tokens, tokenActor } from './tokens.ts'

const SECRET = 'a secret long enough for the tests of seat tokens'

/** A token signed with the right key but claims of our choosing (what a bug elsewhere could mint). */
function signed(claims: Record<string, unknown>): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer('negotiation-room')
    .setExpirationTime('1h')
    .sign(createHash('sha256').update(SECRET).digest())
}

describe('seat tokens', () => {
  const tokens = new Tokens(SECRET, 60_000)

  it('carry the staff member and organisation, and the actor of the log names them', async () => {
    const { token } = await tokens.issue({ room: 'r1', role: 'lender', name: 'Ben Agent', staffId: 'stf_1', orgId: 'org_1', orgName: 'Acme Bank' })
    const v = await tokens.verifyForRoom(token, 'r1')
    expect(v).toMatchObject({ ok: true, role: 'lender', name: 'Ben Agent', staffId: 'stf_1', orgId: 'org_1', orgName: 'Acme Bank' })
    if (!v.ok) throw new Error('refused')
    expect(tokenActor(v)).toEqual({ role: 'lender', name: 'Ben Agent', staffId: 'stf_1', orgId: 'org_1' })
  })

  it('invite tokens are unchanged: no staff claims, an actor of role and name', async () => {
    const { token } = await tokens.issue({ room: 'r1', role: 'lender', name: 'City Bank' })
    const v = await tokens.verify(token)
    expect(v.ok && Object.keys(v).sort()).toEqual(['expiresAt', 'generation', 'name', 'ok', 'role', 'room'])
    if (!v.ok) throw new Error('refused')
    expect(tokenActor(v)).toEqual({ role: 'lender', name: 'City Bank' })
  })

  it('refuses a staff id without its organisation, or claims of the wrong type', async () => {
    for (const extra of [{ sid: 'stf_1' }, { sid: 'stf_1', org: 'org_1' }, { sid: 5, org: 'org_1', orgName: 'A' }, { sid: '', org: 'org_1', orgName: 'A' }]) {
      const token = await signed({ room: 'r1', role: 'lender', name: 'X', ...extra })
      expect(await tokens.verify(token)).toMatchObject({ ok: false, error: 'unauthorized', message: 'token is malformed' })
    }
  })
})
