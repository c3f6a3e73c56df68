// Secrets the server must read back (an identity provider's client secret), sealed at rest with AES-256-GCM
// under a key derived from the server's SECRET, and bound to what they belong to (a sealed value copied to
// another organisation's row does not open there).
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto'

const VERSION = 'v1'

/** A 32-byte key from the server's secret for `purpose`, apart from every other use of that secret. */
export function secretBoxKey(secret: string, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, 'negotiation-room', `secret box: ${purpose}`, 32))
}

/** `v1.<iv>.<ciphertext>.<tag>`, base64url; `context` is authenticated, not stored. */
export function seal(key: Buffer, context: string, plaintext: string): string {
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', key, iv)
  cipher.setAAD(Buffer.from(context, 'utf8'))
  const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()])
  return [VERSION, iv, ct, cipher.getAuthTag()].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join('.')
}

/** The plaintext, or null when the value is malformed, tampered with, sealed under another key or for another context. */
export function open(key: Buffer, context: string, sealed: string): string | null {
  const [version, iv, ct, tag, extra] = sealed.split('.')
  if (version !== VERSION || iv === undefined || ct === undefined || tag === undefined || extra !== undefined) return null
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'), { authTagLength: 16 })
    decipher.setAAD(Buffer.from(context, 'utf8'))
    decipher.setAuthTag(Buffer.from(tag, 'base64url'))
    return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString('utf8')
  } catch {
    return null
  }
}
