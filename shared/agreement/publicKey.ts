// Ed25519 public keys as people hand them over (PEM, JWK text, JWK object), imported with WebCrypto.
// No Buffer: this runs in the browser too.
import { sha256Hex } from '../document/sha256.ts'

/** A public key as a PEM (SPKI) string, a JWK JSON string, or a JWK object (e.g. GET /api/public-key). */
export type PublicKeyInput = string | { kty?: unknown; crv?: unknown; x?: unknown; kid?: unknown }

function bytesToBase64url(bytes: Uint8Array): string {
  let bin = ''
  for (const b of bytes) bin += String.fromCharCode(b)
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

function base64ToBytes(text: string): Uint8Array<ArrayBuffer> | null {
  try {
    const bin = atob(text)
    const out = new Uint8Array(bin.length)
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i)
    return out
  } catch {
    return null
  }
}

/** base64url text → bytes, null when it is not base64url. */
export function base64urlToBytes(text: string): Uint8Array<ArrayBuffer> | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return null
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/')
  return base64ToBytes(b64 + '='.repeat((4 - (b64.length % 4)) % 4))
}

function hexToBytes(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2)
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16)
  return out
}

/** RFC 7638 thumbprint of an Ed25519 JWK (same as the server's kid). */
export function ed25519Thumbprint(x: string): string {
  return bytesToBase64url(hexToBytes(sha256Hex(JSON.stringify({ crv: 'Ed25519', kty: 'OKP', x }))))
}

export interface ImportedKey {
  key: CryptoKey
  x: string
  kid: string
}

/** Imports an Ed25519 public key given as PEM, JWK JSON text or a JWK object; throws with a readable reason. */
export async function importPublicKey(input: PublicKeyInput): Promise<ImportedKey> {
  const subtle = globalThis.crypto?.subtle
  if (!subtle) throw new Error('WebCrypto is not available here')
  let jwk: { kty?: unknown; crv?: unknown; x?: unknown } | undefined
  if (typeof input === 'string') {
    const text = input.trim()
    if (text.startsWith('{')) {
      try {
        jwk = JSON.parse(text) as typeof jwk
      } catch {
        throw new Error('the key is neither PEM nor valid JWK JSON')
      }
    } else {
      const match = /-----BEGIN PUBLIC KEY-----([\s\S]*?)-----END PUBLIC KEY-----/.exec(text)
      if (!match) throw new Error('the key is not a PEM public key (-----BEGIN PUBLIC KEY-----) nor a JWK')
      const der = base64ToBytes(match[1]!.replace(/\s+/g, ''))
      if (!der) throw new Error('the PEM key is not valid base64')
      let key: CryptoKey
      try {
        key = await subtle.importKey('spki', der, { name: 'Ed25519' }, true, ['verify'])
      } catch {
        throw new Error('the PEM key is not an Ed25519 public key')
      }
      const exported = await subtle.exportKey('jwk', key)
      const x = exported.x ?? ''
      return { key, x, kid: ed25519Thumbprint(x) }
    }
  } else {
    jwk = input
  }
  if (!jwk || typeof jwk !== 'object') throw new Error('the key is not a JWK object')
  if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || typeof jwk.x !== 'string') {
    throw new Error('the JWK is not an Ed25519 key (expected kty "OKP", crv "Ed25519", x)')
  }
  let key: CryptoKey
  try {
    key = await subtle.importKey('jwk', { kty: 'OKP', crv: 'Ed25519', x: jwk.x }, { name: 'Ed25519' }, true, ['verify'])
  } catch {
    throw new Error('the JWK x is not a valid Ed25519 public key')
  }
  return { key, x: jwk.x, kid: ed25519Thumbprint(jwk.x) }
}
