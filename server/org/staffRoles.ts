// What each staff role may do, in one place (the routes ask these, never a role name).
import type { StaffRole } from '../../shared/protocol/staff.ts'

const has = (roles: readonly StaffRole[], ...any: StaffRole[]): boolean => any.some((r) => roles.includes(r))

/** Agents open rooms for their borrowers; supervisors and admins may too. Auditors only read. */
export function canCreateRooms(roles: readonly StaffRole[]): boolean {
  return has(roles, 'agent', 'supervisor', 'admin')
}

/** Every room of the organisation; an agent sees the rooms they created or were assigned. */
export function seesAllOrgRooms(roles: readonly StaffRole[]): boolean {
  return has(roles, 'supervisor', 'auditor', 'admin')
}

export function canAdminister(roles: readonly StaffRole[]): boolean {
  return has(roles, 'admin')
}

/** The lender's seat in any of the organisation's rooms (an agent takes it only in their own, roomAccess.ts). */
export function takesAnyLenderSeat(roles: readonly StaffRole[]): boolean {
  return has(roles, 'supervisor', 'admin')
}

export function takesOwnLenderSeat(roles: readonly StaffRole[]): boolean {
  return has(roles, 'agent')
}

/** An observer's seat, to listen in on any of the organisation's rooms. */
export function takesObserverSeat(roles: readonly StaffRole[]): boolean {
  return has(roles, 'supervisor')
}
