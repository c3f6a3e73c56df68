import { describe, expect, it } from 'vitest'
import type { RoomMeta } from '../store/Store.ts'
import { seesRoom } from './roomAccess.ts'

const room = (extra: Partial<RoomMeta>): RoomMeta => ({ invites: [], ...extra })
const mine = room({ orgId: 'o1', createdBy: { kind: 'staff', id: 's1', name: 'Ann' } })
const colleagues = room({ orgId: 'o1', createdBy: { kind: 'staff', id: 's2', name: 'Bob' } })
const assigned = room({ orgId: 'o1', createdBy: { kind: 'staff', id: 's2', name: 'Bob' }, assignedTo: ['s1'] })
const otherOrg = room({ orgId: 'o2', createdBy: { kind: 'staff', id: 's1', name: 'Ann' } })
const operators = room({})

describe('which rooms staff see', () => {
  it('an agent: the rooms they opened or were assigned, in their organisation only', () => {
    const agent = { orgId: 'o1', id: 's1', roles: ['agent'] as const }
    expect([mine, colleagues, assigned, otherOrg, operators].map((m) => seesRoom(agent, m))).toEqual([true, false, true, false, false])
  })

  it('supervisors, auditors and admins: every room of their organisation, none of another or of the operator', () => {
    for (const role of ['supervisor', 'auditor', 'admin'] as const) {
      const viewer = { orgId: 'o1', id: 's9', roles: [role] }
      expect([mine, colleagues, assigned, otherOrg, operators].map((m) => seesRoom(viewer, m))).toEqual([true, true, true, false, false])
    }
  })

  it('a member without roles sees only what they opened (nothing, since they cannot open rooms)', () => {
    expect(seesRoom({ orgId: 'o1', id: 's3', roles: [] }, colleagues)).toBe(false)
  })
})
