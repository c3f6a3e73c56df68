// The started sign-in kept in the browser between the IdP redirect and the callback: encrypted (JWE, so the
// PKCE verifier and nonce stay secret), bound to the organisation, and expiring with the sign-in itself.
import { hkdfSync } from 'node:crypto'
import { EncryptJWT, errors, jwtDecrypt } from 'jose'
import { OidcError } from './OidcError.ts'
import { PENDING_TTL_MS, type PendingSignIn } from './OidcSignIn.ts'

export const PENDING_COOKIE = 'nr_oidc_pending'

/** A 32-byte key for the pending cookie from the server's secret, kept apart from the token-signing use of it. */
export function pendingCookieKey(secret: string): Uint8Array {
  return new Uint8Array(hkdfSync('sha256', secret, 'negotiation-room', 'oidc pending sign-in cookie', 32))
}

export async function sealPending(key: Uint8Array, orgId: string, pending: PendingSignIn): Promise<string> {
  return new EncryptJWT({ org: orgId, st: pending.state, no: pending.nonce, cv: pending.codeVerifier, ru: pending.redirectUri, ca: pending.createdAt })
    .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
    .setIssuedAt(Math.floor(pending.createdAt / 1000))
    .setExpirationTime(Math.floor((pending.createdAt + PENDING_TTL_MS) / 1000))
    .encrypt(key)
}

/** The pending sign-in for this organisation, or an OidcError (no_pending when missing, forged or for another organisation). */
export async function openPending(key: Uint8Array, orgId: string, sealed: string | undefined, now: number = Date.now()): Promise<PendingSignIn> {
  if (!sealed) throw new OidcError('oidc_no_pending', 'no sign-in was started in this browser; start it again')
  let payload: Record<string, unknown>
  try {
    ;({ payload } = await jwtDecrypt(sealed, key, { currentDate: new Date(now), keyManagementAlgorithms: ['dir'], contentEncryptionAlgorithms: ['A256GCM'] }))
  } catch (err) {
    if (err instanceof errors.JWTExpired) throw new OidcError('oidc_pending_expired', 'the sign-in took longer than 10 minutes; start it again')
    throw new OidcError('oidc_no_pending', 'the sign-in started in this browser cannot be read; start it again', { cause: err })
  }
  const { org, st, no, cv, ru, ca } = payload
  if (org !== orgId) throw new OidcError('oidc_no_pending', 'the sign-in started in this browser was for another organisation; start it again')
  if (typeof st !== 'string' || typeof no !== 'string' || typeof cv !== 'string' || typeof ru !== 'string' || typeof ca !== 'number') {
    throw new OidcError('oidc_no_pending', 'the sign-in started in this browser cannot be read; start it again')
  }
  return { state: st, nonce: no, codeVerifier: cv, redirectUri: ru, createdAt: ca }
}
