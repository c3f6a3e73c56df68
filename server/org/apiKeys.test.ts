import { describe, expect, it } from 'vitest'
import { apiKeyMatches, apiKeyPrefix, generateApiKey, hashApiKey } from './apiKeys.ts'

describe('organisation API keys', () => {
  it('look like nrk_<12 lower-case hex>_<43 base64url>, and differ every time', () => {
    const a = generateApiKey()
    const b = generateApiKey()
    expect(a.key).toMatch(/^nrk_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/)
    expect(a.key.startsWith(`nrk_${a.prefix}_`)).toBe(true)
    expect(a.key).not.toBe(b.key)
    expect(a.prefix).not.toBe(b.prefix)
  })

  it('are kept as the SHA-256 of the whole key, never the key', () => {
    const k = generateApiKey()
    expect(k.hash).toMatch(/^[0-9a-f]{64}$/)
    expect(k.hash).toBe(hashApiKey(k.key))
    expect(k.hash).not.toContain(k.key.slice(17))
    expect(apiKeyMatches(k.key, k.hash)).toBe(true)
    expect(apiKeyMatches(`${k.key.slice(0, -1)}${k.key.endsWith('A') ? 'B' : 'A'}`, k.hash)).toBe(false)
    expect(apiKeyMatches(k.key, 'short')).toBe(false)
  })

  it('give their prefix only when well-formed', () => {
    const k = generateApiKey()
    expect(apiKeyPrefix(k.key)).toBe(k.prefix)
    expect(apiKeyPrefix('nrk_short_x')).toBeNull()
    expect(apiKeyPrefix(`${k.key}x`)).toBeNull()
    expect(apiKeyPrefix('Bearer something')).toBeNull()
  })
})
