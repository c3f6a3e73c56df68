// Staff roles from the identity provider's claims, through the organisation's rolesClaim and roleMap.
import type { OrgOidcConfig } from '../../../shared/protocol/oidc.ts'
import { isStaffRole, STAFF_ROLES, type StaffRole } from '../../../shared/protocol/staff.ts'

/** A claim by name, or by dotted path when the name itself is absent (Keycloak's "realm_access.roles"). */
function claimAt(claims: Readonly<Record<string, unknown>>, path: string): unknown {
  if (path in claims) return claims[path]
  let at: unknown = claims
  for (const part of path.split('.')) {
    if (typeof at !== 'object' || at === null || Array.isArray(at)) return undefined
    at = (at as Record<string, unknown>)[part]
  }
  return at
}

/** An array of strings, or one string of values separated by spaces or commas (both are seen in the wild). */
function valuesOf(claim: unknown): string[] {
  if (typeof claim === 'string') return claim.split(/[\s,]+/).filter((v) => v !== '')
  if (Array.isArray(claim)) return claim.filter((v): v is string => typeof v === 'string')
  return []
}

/**
 * The roles the claims grant, in the fixed order of STAFF_ROLES, or null when the organisation takes no roles
 * from its identity provider (no rolesClaim: an admin sets them). With a roleMap only mapped values count, so a
 * group that merely happens to be called "admin" grants nothing the admin did not map.
 */
export function rolesFromClaims(claims: Readonly<Record<string, unknown>>, config: Pick<OrgOidcConfig, 'rolesClaim' | 'roleMap'>): StaffRole[] | null {
  if (config.rolesClaim === undefined) return null
  const granted = new Set<StaffRole>()
  for (const value of valuesOf(claimAt(claims, config.rolesClaim))) {
    const role = config.roleMap ? (Object.hasOwn(config.roleMap, value) ? config.roleMap[value] : undefined) : value
    if (isStaffRole(role)) granted.add(role)
  }
  return STAFF_ROLES.filter((r) => granted.has(r))
}
