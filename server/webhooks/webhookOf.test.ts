// What a receiver is told about a confirmation and a lock when a signed-in staff member holds the lender's seat:
// their staff and organisation ids, so the lender's system knows which of its people agreed.
import { describe, expect, it } from 'vitest'
import type { StoredEvent } from '../store/Store.ts'
import { webhookOf } from './webhookOf.ts'

const base = { roomId: 'r1', ts: Date.UTC(2026, 11, 6), prevHash: 'p', hash: 'h' }

function event(e: Pick<StoredEvent, 'seq' | 'type' | 'actor' | 'payload'>): StoredEvent {
  return { ...base, ...e }
}

describe('webhook bodies name the staff member in the lender seat', () => {
  it('a confirmation by a seated staff member carries their ids; an invite-link confirmation none', () => {
    const staff = webhookOf(event({ seq: 5, type: 'confirm', actor: { role: 'lender', name: 'Ben Okafor', staffId: 'stf_1', orgId: 'org_1' }, payload: { hash: 'c', fullName: 'Ben Okafor' } }), 'negotiating')
    expect(JSON.parse(staff!.body).data).toMatchObject({ role: 'lender', name: 'Ben Okafor', staffId: 'stf_1', orgId: 'org_1', contentHash: 'c' })
    const link = webhookOf(event({ seq: 6, type: 'confirm', actor: { role: 'borrower', name: 'Zhang Wei' }, payload: { hash: 'c', fullName: 'Zhang Wei' } }), 'negotiating')
    const data = JSON.parse(link!.body).data as Record<string, unknown>
    expect(data.staffId).toBeUndefined()
    expect(data.orgId).toBeUndefined()
  })

  it('the lock lists each party as the agreement names them, with the staff ids where the lender was a person', () => {
    const agreement = {
      confirmations: [
        { role: 'borrower', name: 'Zhang Wei' },
        { role: 'lender', name: 'Ben Okafor', staff: { staffId: 'stf_1', name: 'Ben Okafor', orgId: 'org_1', orgName: 'Acme Bank' } },
      ],
    }
    const locked = webhookOf(event({ seq: 7, type: 'lock', actor: { role: 'system', name: 'system' }, payload: { contentHash: 'c', agreementHash: 'a', agreement } }), 'locked')
    expect(JSON.parse(locked!.body).data.parties).toEqual([
      { role: 'borrower', name: 'Zhang Wei' },
      { role: 'lender', name: 'Ben Okafor', staffId: 'stf_1', orgId: 'org_1' },
    ])
  })
})
