import { calculateJwkThumbprint } from 'jose'
import { describe, expect, it } from 'vitest'
import { ed25519Thumbprint, importPublicKey } from './publicKey.ts'
import { verifyAgreement } from './verifyAgreement.ts'

describe('verifyAgreement building blocks (browser-safe: WebCrypto only)', () => {
  it('computes the RFC 7638 key id like jose does', async () => {
    const pair = (await crypto.subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify'])) as CryptoKeyPair
    const jwk = await crypto.subtle.exportKey('jwk', pair.publicKey)
    const expected = await calculateJwkThumbprint({ kty: 'OKP', crv: 'Ed25519', x: jwk.x! }, 'sha256')
    expect(ed25519Thumbprint(jwk.x!)).toBe(expected)
    expect((await importPublicKey({ kty: 'OKP', crv: 'Ed25519', x: jwk.x! })).kid).toBe(expected)
  })

  it('refuses keys that are not Ed25519 public keys, saying why', async () => {
    await expect(importPublicKey({ kty: 'EC', crv: 'P-256', x: 'abc' })).rejects.toThrow(/not an Ed25519 key/)
    await expect(importPublicKey('{"kty":')).rejects.toThrow(/neither PEM nor valid JWK/)
    await expect(importPublicKey('-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----')).rejects.toThrow(/not a PEM public key/)
  })

  it('reports every missing part of a record instead of throwing', async () => {
    const r = await verifyAgreement({ version: 2, content: { terms: {} } })
    expect(r.valid).toBe(false)
    const messages = r.problems.map((p) => p.message)
    expect(messages).toContain('version is 2, expected 1')
    expect(messages).toContain('content.profile is missing or not a map of plain values')
    expect(messages).toContain('signature is missing or not {alg: "Ed25519", kid, value}')
    expect(messages).toContain('no public key: none given and none embedded in the agreement')
  })
})
