// Which of its organisation's rooms a staff member or API key sees: supervisors, auditors and admins
// every one; an agent the rooms they opened or were assigned. Another organisation's rooms (and rooms
// made with the operator key, which belong to none) never.
import type { StaffRole } from '../../shared/protocol/staff.ts'
import type { RoomMeta } from '../store/Store.ts'
import { seesAllOrgRooms } from './staffRoles.ts'

export interface RoomViewer {
  orgId: string
  /** The staff member's or the API key's id. */
  id: string
  roles: readonly StaffRole[]
}

export function seesRoom(viewer: RoomViewer, meta: RoomMeta): boolean {
  if (meta.orgId === undefined || meta.orgId !== viewer.orgId) return false
  if (seesAllOrgRooms(viewer.roles)) return true
  return meta.createdBy?.id === viewer.id || (meta.assignedTo?.includes(viewer.id) ?? false)
}
