import { describe, expect, it } from 'vitest'
import type { StoredEvent } from '../store/Store.ts'
import { distinctName, mayAddObserver, mayRevokeObserver, observerLookup, observersOf, revokedObserverIds } from './observers.ts'

const INVITES = [
  { role: 'borrower' as const, name: 'Zhang Wei' },
  { role: 'lender' as const, name: 'Bank' },
  { role: 'observer' as const, name: 'Li Na', label: 'mediator' as const },
]

function event(seq: number, type: 'observer_added' | 'observer_revoked', payload: Record<string, unknown>): StoredEvent {
  return { roomId: 'r', seq, ts: seq, actor: { role: 'system', name: 'operator' }, type, payload, prevHash: '', hash: '' }
}

const added = (seq: number, id: string, extra: Record<string, unknown> = {}): StoredEvent =>
  event(seq, 'observer_added', { id, label: 'advisor', side: 'borrower', name: `N ${id}`, addedBy: 'borrower', addedAt: seq, ...extra })

describe('observersOf', () => {
  it('starts with the room\'s first observer, neutral, and adds and revokes in log order', () => {
    expect(observersOf(INVITES, [], 5)).toEqual([{ id: 'observer', label: 'mediator', side: 'neutral', name: 'Li Na', addedBy: 'operator', addedAt: 5 }])
    const events = [added(4, 'o_b'), event(6, 'observer_revoked', { observerId: 'o_a' }), added(3, 'o_a', { side: 'lender', label: 'lawyer' })]
    expect(observersOf(INVITES, events, 5).map((o) => o.id)).toEqual(['observer', 'o_b'])
    expect(observersOf(INVITES, [...events, event(7, 'observer_revoked', { observerId: 'observer' })], 5).map((o) => o.id)).toEqual(['o_b'])
  })

  it('ignores a malformed line and a second addition of the same id', () => {
    const events = [added(2, 'o_x', { side: 'nobody' }), added(3, 'o_y'), added(4, 'o_y', { name: 'impostor' }), event(5, 'observer_revoked', {})]
    const list = observersOf(INVITES, events, 1)
    expect(list.map((o) => [o.id, o.name])).toEqual([
      ['observer', 'Li Na'],
      ['o_y', 'N o_y'],
    ])
  })

  it('collects revoked ids and finds a past observer\'s label and side by name', () => {
    const events = [added(2, 'o_y'), event(3, 'observer_revoked', { observerId: 'o_y' })]
    expect([...revokedObserverIds(events)]).toEqual(['o_y'])
    const lookup = observerLookup(INVITES, events)
    expect(lookup('observer', 'N o_y')).toEqual({ label: 'advisor', side: 'borrower' })
    expect(lookup('observer', 'Li Na')).toEqual({ label: 'mediator' })
    expect(lookup('borrower', 'Zhang Wei')).toEqual({})
  })
})

describe('distinctName', () => {
  it('numbers a name another participant already has', () => {
    expect(distinctName('Auditor', ['Li Na'])).toBe('Auditor')
    expect(distinctName('Auditor', ['Auditor', 'Auditor 2'])).toBe('Auditor 3')
  })
})

describe('who may add and revoke', () => {
  it('lets the operator do anything, a party only on its own side, an observer nothing', () => {
    expect(mayAddObserver('operator', 'neutral')).toBeNull()
    expect(mayAddObserver('borrower', 'borrower')).toBeNull()
    expect(mayAddObserver('borrower', 'lender')).toMatchObject({ error: 'forbidden' })
    expect(mayAddObserver('lender', 'neutral')).toMatchObject({ error: 'forbidden' })
    expect(mayAddObserver('observer', 'neutral')).toMatchObject({ error: 'forbidden' })
    const advisor = { id: 'o', label: 'advisor' as const, side: 'borrower' as const, name: 'W', addedBy: 'borrower' as const, addedAt: 1 }
    expect(mayRevokeObserver('operator', advisor)).toBeNull()
    expect(mayRevokeObserver('borrower', advisor)).toBeNull()
    expect(mayRevokeObserver('lender', advisor)).toMatchObject({ error: 'forbidden' })
    expect(mayRevokeObserver('observer', advisor)).toMatchObject({ error: 'forbidden' })
  })
})
