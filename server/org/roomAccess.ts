// Which of its organisation's rooms a staff member or API key sees: supervisors, auditors and admins
// every one; an agent the rooms they opened or were assigned. Another organisation's rooms (and rooms
// made with the operator key, which belong to none) never.
import type { StaffRole } from '../../shared/protocol/staff.ts'
import type { RoomMeta } from '../store/Store.ts'
import type { SeatRole } from '../../shared/protocol/seat.ts'
import { seesAllOrgRooms, takesAnyLenderSeat, takesObserverSeat, takesOwnLenderSeat } from './staffRoles.ts'

export interface RoomViewer {
  orgId: string
  /** The staff member's or the API key's id. */
  id: string
  roles: readonly StaffRole[]
}

export function seesRoom(viewer: RoomViewer, meta: RoomMeta): boolean {
  if (meta.orgId === undefined || meta.orgId !== viewer.orgId) return false
  if (seesAllOrgRooms(viewer.roles)) return true
  return ownsRoom(viewer, meta)
}

/** Opened by the viewer or assigned to them. */
function ownsRoom(viewer: RoomViewer, meta: RoomMeta): boolean {
  return meta.createdBy?.id === viewer.id || (meta.assignedTo?.includes(viewer.id) ?? false)
}

/**
 * Who may take a seat (POST /api/rooms/:id/seat): the lender's, an agent in a room they opened or were assigned,
 * a supervisor or admin in any of the organisation's; an observer's, a supervisor. An auditor, who may see every
 * room, takes none: reading is not speaking for the lender.
 */
export function takesSeat(viewer: RoomViewer, meta: RoomMeta, seat: SeatRole): boolean {
  if (meta.orgId === undefined || meta.orgId !== viewer.orgId) return false
  if (seat === 'observer') return takesObserverSeat(viewer.roles)
  return takesAnyLenderSeat(viewer.roles) || (takesOwnLenderSeat(viewer.roles) && ownsRoom(viewer, meta))
}
