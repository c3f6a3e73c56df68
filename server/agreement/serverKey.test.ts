import { verify } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { calculateJwkThumbprint } from 'jose'
import { afterEach, describe, expect, it } from 'vitest'
import {
  loadOrCreateServerKey,
  PRIVATE_KEY_FILE,
  PUBLIC_JWK_FILE,
  PUBLIC_KEY_FILE,
  publicKeyJwk,
  signText,
} from './serverKey.ts'

const dirs: string[] = []
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'server-key-'))
  dirs.push(dir)
  return dir
}
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true })
})

const mode = (file: string) => fs.statSync(file).mode & 0o777

describe('server signing key', () => {
  it('is generated on first start into DATA_DIR with owner-only files', () => {
    const dir = path.join(tempDir(), 'nested', 'data')
    const key = loadOrCreateServerKey(dir)
    expect(key.created).toBe(true)
    for (const name of [PRIVATE_KEY_FILE, PUBLIC_KEY_FILE, PUBLIC_JWK_FILE]) {
      expect(mode(path.join(dir, name)), name).toBe(0o600)
    }
    expect(fs.readFileSync(path.join(dir, PRIVATE_KEY_FILE), 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----/)
    expect(JSON.parse(fs.readFileSync(path.join(dir, PUBLIC_JWK_FILE), 'utf8'))).toEqual(key.publicJwk)
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([])
  })

  it('is loaded, not regenerated, on later starts', () => {
    const dir = tempDir()
    const first = loadOrCreateServerKey(dir)
    const second = loadOrCreateServerKey(dir)
    expect(second.created).toBe(false)
    expect(second.kid).toBe(first.kid)
    expect(second.publicJwk).toEqual(first.publicJwk)
  })

  it('answers GET /api/public-key with an Ed25519 JWK whose kid is its RFC 7638 thumbprint, plus PEM', async () => {
    const key = loadOrCreateServerKey(tempDir())
    const body = publicKeyJwk(key)
    expect(body).toMatchObject({ kty: 'OKP', crv: 'Ed25519', kid: key.kid, alg: 'EdDSA', use: 'sig' })
    expect(body.x).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(body.pem).toMatch(/^-----BEGIN PUBLIC KEY-----/)
    expect(await calculateJwkThumbprint({ kty: 'OKP', crv: 'Ed25519', x: body.x }, 'sha256')).toBe(key.kid)
    expect(JSON.stringify(body)).not.toMatch(/"d"/)
  })

  it('signs text that the public key verifies', () => {
    const key = loadOrCreateServerKey(tempDir())
    const sig = Buffer.from(signText(key, 'héllo 你好'), 'base64url')
    expect(sig.length).toBe(64)
    expect(verify(null, Buffer.from('héllo 你好'), key.publicKey, sig)).toBe(true)
    expect(verify(null, Buffer.from('hello'), key.publicKey, sig)).toBe(false)
  })

  it('tightens a private key file copied in with loose permissions', () => {
    const dir = tempDir()
    const first = loadOrCreateServerKey(dir)
    fs.chmodSync(path.join(dir, PRIVATE_KEY_FILE), 0o644)
    expect(loadOrCreateServerKey(dir).kid).toBe(first.kid)
    expect(mode(path.join(dir, PRIVATE_KEY_FILE))).toBe(0o600)
  })

  it('refuses a corrupt key file instead of replacing the key that signed earlier agreements', () => {
    const dir = tempDir()
    loadOrCreateServerKey(dir)
    fs.writeFileSync(path.join(dir, PRIVATE_KEY_FILE), 'garbage')
    expect(() => loadOrCreateServerKey(dir)).toThrow(/cannot read the signing key/)
    expect(fs.readFileSync(path.join(dir, PRIVATE_KEY_FILE), 'utf8')).toBe('garbage')
  })
})
