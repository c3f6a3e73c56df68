import { describe, expect, it } from 'vitest'
import { rolesFromClaims } from './rolesFromClaims.ts'

describe('rolesFromClaims', () => {
  it('takes no roles when no claim is configured', () => {
    expect(rolesFromClaims({ roles: ['admin'] }, {})).toBeNull()
  })

  it('takes values that are role names when there is no map, in a fixed order, once each', () => {
    expect(rolesFromClaims({ roles: ['admin', 'viewer', 'agent', 'admin', 7] }, { rolesClaim: 'roles' })).toEqual(['agent', 'admin'])
    expect(rolesFromClaims({ roles: 'auditor supervisor,agent' }, { rolesClaim: 'roles' })).toEqual(['agent', 'supervisor', 'auditor'])
    expect(rolesFromClaims({}, { rolesClaim: 'roles' })).toEqual([])
    expect(rolesFromClaims({ roles: { admin: true } }, { rolesClaim: 'roles' })).toEqual([])
  })

  it('with a map, counts only mapped values (a group called "admin" grants nothing unmapped)', () => {
    const config = { rolesClaim: 'groups', roleMap: { 'lending-agents': 'agent', 'risk-office': 'auditor' } } as const
    expect(rolesFromClaims({ groups: ['lending-agents', 'admin', 'risk-office', 'toString'] }, config)).toEqual(['agent', 'auditor'])
  })

  it('follows a dotted path into nested claims, but prefers a claim literally named so', () => {
    expect(rolesFromClaims({ realm_access: { roles: ['supervisor'] } }, { rolesClaim: 'realm_access.roles' })).toEqual(['supervisor'])
    expect(rolesFromClaims({ 'realm_access.roles': ['agent'], realm_access: { roles: ['admin'] } }, { rolesClaim: 'realm_access.roles' })).toEqual(['agent'])
    expect(rolesFromClaims({ realm_access: ['admin'] }, { rolesClaim: 'realm_access.roles' })).toEqual([])
  })
})
