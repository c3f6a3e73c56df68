import { describe, expect, it } from 'vitest'
import { validateOidcConfig } from './oidcConfig.schema.ts'

const base = { issuer: 'https://login.example-bank.cn/realms/staff', clientId: 'negotiation-room', clientSecret: 's3cret' }

describe('validateOidcConfig', () => {
  it('accepts the minimal and the full configuration', () => {
    expect(validateOidcConfig(base).ok).toBe(true)
    const full = { ...base, rolesClaim: 'realm_access.roles', roleMap: { 'lending-agents': 'agent', 'it-admins': 'admin' }, scopes: ['openid', 'email', 'groups'] }
    expect(validateOidcConfig(full)).toEqual({ ok: true, value: full })
  })

  it('names the field that is wrong', () => {
    expect(validateOidcConfig({ ...base, clientSecret: '' })).toEqual({ ok: false, error: '/clientSecret: must NOT have fewer than 1 characters' })
    expect(validateOidcConfig({ issuer: base.issuer, clientId: 'x' })).toEqual({ ok: false, error: '/clientSecret: is required' })
    expect(validateOidcConfig({ ...base, roleMap: { staff: 'owner' } })).toEqual({ ok: false, error: '/roleMap/staff: must be one of agent, supervisor, auditor, admin' })
    expect(validateOidcConfig({ ...base, rolesClaim: 'roles..x' })).toMatchObject({ ok: false, error: expect.stringMatching(/^\/rolesClaim: /) })
    expect(validateOidcConfig({ ...base, scopes: ['openid', 'a"b'] })).toMatchObject({ ok: false, error: expect.stringMatching(/^\/scopes\/1: /) })
    expect(validateOidcConfig({ ...base, extra: 1 })).toEqual({ ok: false, error: '/extra: is not allowed' })
  })

  it('takes plain http only for an identity provider on this machine', () => {
    expect(validateOidcConfig({ ...base, issuer: 'http://login.example-bank.cn' })).toEqual({ ok: false, error: '/issuer: must be https (http only on localhost)' })
    expect(validateOidcConfig({ ...base, issuer: 'http://127.0.0.1:4100' }).ok).toBe(true)
    expect(validateOidcConfig({ ...base, issuer: 'ftp://idp.example' })).toEqual({ ok: false, error: '/issuer: must be an http(s) URL' })
    expect(validateOidcConfig({ ...base, issuer: 'https://idp.example/?tenant=1' })).toEqual({ ok: false, error: '/issuer: must not have a query or fragment' })
  })
})
