import { describe, expect, it } from 'vitest'
import type { PendingSignIn } from './OidcSignIn.ts'
import { openPending, pendingCookieKey, sealPending } from './pendingCookie.ts'

const key = pendingCookieKey('a server secret of at least thirty-two characters')
const pending: PendingSignIn = { state: 'st', nonce: 'no', codeVerifier: 'cv'.repeat(22), redirectUri: 'https://nr.example/api/auth/oidc/acme/callback', createdAt: 1_800_000_000_000 }

async function codeOf(p: Promise<unknown>): Promise<string> {
  return p.then(
    () => 'opened',
    (e: { code?: string }) => e.code ?? 'thrown',
  )
}

describe('the pending sign-in cookie', () => {
  it('opens for its organisation within 10 minutes, and hides what it holds', async () => {
    const sealed = await sealPending(key, 'acme', pending)
    expect(sealed).not.toContain(pending.codeVerifier)
    expect(Buffer.from(sealed.split('.')[3] ?? '', 'base64url').toString('latin1')).not.toContain('cvcv')
    expect(await openPending(key, 'acme', sealed, pending.createdAt + 9 * 60_000)).toEqual(pending)
  })

  it('refuses another organisation, another key, a damaged value, none, and an old one', async () => {
    const sealed = await sealPending(key, 'acme', pending)
    const at = pending.createdAt + 1000
    expect(await codeOf(openPending(key, 'bank2', sealed, at))).toBe('oidc_no_pending')
    expect(await codeOf(openPending(pendingCookieKey('another secret of at least thirty-two characters'), 'acme', sealed, at))).toBe('oidc_no_pending')
    const parts = sealed.split('.')
    const tag = parts[4] ?? ''
    parts[4] = `${tag[0] === 'A' ? 'B' : 'A'}${tag.slice(1)}`
    expect(await codeOf(openPending(key, 'acme', parts.join('.'), at))).toBe('oidc_no_pending')
    expect(await codeOf(openPending(key, 'acme', undefined, at))).toBe('oidc_no_pending')
    expect(await codeOf(openPending(key, 'acme', sealed, pending.createdAt + 10 * 60_000 + 1000))).toBe('oidc_pending_expired')
  })
})
