import { describe, expect, it } from 'vitest'
import { readMe, readRoomInfo } from '../../../client/src/lib/roomInfo.ts'
import { takeRoomToken, readTokenClaims } from '../../../client/src/lib/session.ts'

const b64url = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url')
const token = `${b64url({ alg: 'HS256' })}.${b64url({ room: 'r1', role: 'observer', name: '王芳', label: 'lawyer' })}.sig`

describe('room info', () => {
  it('reads GET /api/rooms/:id as the server sends it', () => {
    const body = {
      roomId: 'r1',
      title: 'Plan',
      currency: 'HKD',
      phase: 'negotiating',
      currentHash: 'h',
      participants: [
        { role: 'borrower', name: 'Zhang Wei', online: true },
        { role: 'observer', name: 'Wang', label: 'advisor', online: false },
      ],
      confirmations: [],
      original: { principal: 1, annualRatePct: '1', termMonths: 1, method: 'annuity' },
      createdAt: 1,
      lastActivity: 2,
      you: { role: 'borrower', name: 'Zhang Wei' },
    }
    const info = readRoomInfo('r1', body)
    expect(info).toMatchObject({ title: 'Plan', currency: 'HKD', observerLabel: 'advisor', names: { borrower: 'Zhang Wei', observer: 'Wang' } })
    expect(info.original).toMatchObject({ principal: 1 })
    expect(readMe(body, token)).toEqual({ role: 'borrower', name: 'Zhang Wei' })
  })

  it("falls back to the token's claims, UTF-8 names included", () => {
    expect(readTokenClaims(token)).toMatchObject({ name: '王芳' })
    expect(readMe({}, token)).toEqual({ role: 'observer', name: '王芳', observerLabel: 'lawyer' })
    expect(readMe({ you: { role: 'operator', name: 'operator' } }, 'x')).toBeNull()
  })
})

describe('room token in the address', () => {
  it('moves #token to sessionStorage and strips it from the address bar', () => {
    const store = new Map<string, string>()
    ;(globalThis as { sessionStorage?: unknown }).sessionStorage = {
      getItem: (k: string) => store.get(k) ?? null,
      setItem: (k: string, v: string) => void store.set(k, v),
      removeItem: (k: string) => void store.delete(k),
    }
    let replaced = ''
    const loc = { hash: '#token=abc.def.ghi', pathname: '/room/r1', search: '' } as Location
    const hist = { state: null, replaceState: (_s: unknown, _t: string, url: string) => (replaced = url) } as unknown as History
    expect(takeRoomToken('r1', loc, hist)).toBe('abc.def.ghi')
    expect(replaced).toBe('/room/r1')
    expect(takeRoomToken('r1', { ...loc, hash: '' } as Location, hist)).toBe('abc.def.ghi')
    delete (globalThis as { sessionStorage?: unknown }).sessionStorage
  })
})
