// What a staff member of a lender organisation may do; one person may hold several roles.
export const STAFF_ROLES = ['agent', 'supervisor', 'auditor', 'admin'] as const

export type StaffRole = (typeof STAFF_ROLES)[number]

export function isStaffRole(x: unknown): x is StaffRole {
  return typeof x === 'string' && (STAFF_ROLES as readonly string[]).includes(x)
}
