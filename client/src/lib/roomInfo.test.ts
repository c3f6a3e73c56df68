import { describe, expect, it } from 'vitest'
import { readMe, readRoomInfo } from './roomInfo.ts'
import { readTokenClaims } from './session.ts'

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
