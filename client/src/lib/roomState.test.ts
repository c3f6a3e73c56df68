import { describe, expect, it } from 'vitest'
import { readRoomState, confirmedNow } from './roomState.ts'

describe('room state', () => {
  it('reads confirmations as the server sends them and counts only those for the current hash', () => {
    const st = readRoomState({
      phase: 'negotiating',
      currentHash: 'h2',
      confirmations: [
        { role: 'borrower', name: 'Zhang Wei', fullName: 'Zhang Wei', hash: 'h1', ts: 1 },
        { role: 'lender', name: 'Li Na', fullName: 'Li Na', hash: 'h2', ts: 2 },
      ],
      participants: [{ role: 'observer', name: 'Wang', label: 'mediator', online: true }],
    })
    expect(confirmedNow(st, 'borrower')).toBeNull()
    expect(confirmedNow(st, 'lender')).toMatchObject({ name: 'Li Na', hash: 'h2' })
    expect(st?.participants[0]).toMatchObject({ role: 'observer', online: true })
  })
})
