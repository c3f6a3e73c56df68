// Organisation API keys: `nrk_<prefix>_<secret>`. The prefix (public, unique) finds the row; the server
// keeps only the SHA-256 of the whole key (the secret is 32 random bytes, so a fast hash is enough: there
// is nothing to brute-force, unlike a password).
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'

export const API_KEY_PREFIX = 'nrk_'
const SHAPE = /^nrk_([a-z0-9]{12})_([A-Za-z0-9_-]{43})$/

export interface NewApiKey {
  key: string
  prefix: string
  hash: string
}

export function generateApiKey(): NewApiKey {
  // base32-ish lower case for the prefix: readable in a list, no case confusion.
  const prefix = randomBytes(8).toString('hex').slice(0, 12)
  const key = `${API_KEY_PREFIX}${prefix}_${randomBytes(32).toString('base64url')}`
  return { key, prefix, hash: hashApiKey(key) }
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex')
}

/** The prefix of a well-formed key, else null (nothing is looked up for a malformed one). */
export function apiKeyPrefix(presented: string): string | null {
  return SHAPE.exec(presented)?.[1] ?? null
}

/** Constant-time: the presented key's hash against the stored one. */
export function apiKeyMatches(presented: string, storedHash: string): boolean {
  const a = Buffer.from(hashApiKey(presented), 'hex')
  const b = Buffer.from(storedHash, 'hex')
  return a.length === b.length && timingSafeEqual(a, b)
}
