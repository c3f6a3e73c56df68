import { describe, expect, it } from 'vitest'
import { OidcError } from './OidcError.ts'
import { OidcSignIn } from './OidcSignIn.ts'
import { assertPublicHost, isPrivateAddress } from './publicAddressFetch.ts'

describe('identity provider addresses', () => {
  it('calls loopback, private, link-local, shared, reserved and mapped addresses private', () => {
    for (const a of ['127.0.0.1', '10.1.2.3', '172.20.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', '::', 'fd00::1', 'fe80::1', '::ffff:127.0.0.1', '::ffff:10.0.0.1', 'not-an-ip']) {
      expect(isPrivateAddress(a), a).toBe(true)
    }
    for (const a of ['8.8.8.8', '1.1.1.1', '172.32.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8']) expect(isPrivateAddress(a), a).toBe(false)
  })

  it('refuses a host that resolves to loopback before any request is made', async () => {
    await expect(assertPublicHost(new URL('http://localhost:9/'))).rejects.toThrow(/private address/)
    await expect(assertPublicHost(new URL('https://[::1]/'))).rejects.toThrow(/OIDC_ALLOW_PRIVATE_ISSUERS/)
  })

  it('by default a sign-in cannot start against an identity provider on a private address', async () => {
    const signIn = new OidcSignIn({ allowInsecureRequests: true })
    const started = signIn.beginSignIn({ issuer: 'http://127.0.0.1:9/', clientId: 'c', clientSecret: 's' }, 'http://localhost/cb')
    await expect(started).rejects.toBeInstanceOf(OidcError)
    await expect(started).rejects.toThrow(/private address/)
  })
})
