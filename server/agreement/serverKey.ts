// The server's Ed25519 signing key: generated into DATA_DIR on first start, loaded on every start after.
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  type KeyObject,
} from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import type { PublicKeyJwk } from '../../shared/agreement/agreement.ts'

export const PRIVATE_KEY_FILE = 'signing-key.pem'
export const PUBLIC_KEY_FILE = 'signing-key.pub.pem'
export const PUBLIC_JWK_FILE = 'signing-key.pub.jwk.json'

export interface ServerKey {
  /** RFC 7638 JWK thumbprint of the public key (base64url SHA-256). */
  readonly kid: string
  readonly privateKey: KeyObject
  readonly publicKey: KeyObject
  readonly publicJwk: PublicKeyJwk
  /** SPKI PEM of the public key. */
  readonly publicPem: string
  /** True when this call generated the key (first start). */
  readonly created: boolean
}

/** The body of GET /api/public-key. */
export interface PublicKeyResponse extends PublicKeyJwk {
  alg: 'EdDSA'
  use: 'sig'
  pem: string
}

/** RFC 7638 thumbprint of an OKP key: SHA-256 of its required members in lexicographic order. */
export function jwkThumbprint(crv: string, x: string): string {
  return createHash('sha256').update(JSON.stringify({ crv, kty: 'OKP', x })).digest('base64url')
}

function fromPrivateKey(privateKey: KeyObject, created: boolean): ServerKey {
  if (privateKey.asymmetricKeyType !== 'ed25519') {
    throw new Error(`signing key is ${privateKey.asymmetricKeyType}, expected ed25519`)
  }
  const publicKey = createPublicKey(privateKey)
  const jwk = publicKey.export({ format: 'jwk' })
  if (typeof jwk.x !== 'string') throw new Error('signing key: public JWK has no x')
  const kid = jwkThumbprint('Ed25519', jwk.x)
  return {
    kid,
    privateKey,
    publicKey,
    publicJwk: { kty: 'OKP', crv: 'Ed25519', x: jwk.x, kid },
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    created,
  }
}

/** Writes `data` to `file` only if it does not exist yet (mode 0600); false when another process won the race. */
function writeNew(file: string, data: string): boolean {
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`
  fs.writeFileSync(tmp, data, { mode: 0o600, flag: 'wx' })
  try {
    fs.linkSync(tmp, file) // atomic and refuses to overwrite: a half-written key is never seen
    return true
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false
    throw err
  } finally {
    fs.rmSync(tmp, { force: true })
  }
}

function writeReplace(file: string, data: string): void {
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`
  fs.writeFileSync(tmp, data, { mode: 0o600 })
  fs.renameSync(tmp, file)
}

function readPrivate(file: string): ServerKey {
  const stat = fs.statSync(file)
  // Tighten a key file that was copied in with loose permissions.
  if ((stat.mode & 0o077) !== 0) fs.chmodSync(file, 0o600)
  try {
    return fromPrivateKey(createPrivateKey(fs.readFileSync(file)), false)
  } catch (err) {
    // Never regenerate silently: agreements already signed name this key.
    throw new Error(`cannot read the signing key ${file}: ${(err as Error).message}`)
  }
}

/** Keeps the public files (PEM and JWK, for operators and dispute bundles) in step with the private key. */
function writePublicFiles(dir: string, key: ServerKey): void {
  const jwkText = `${JSON.stringify(key.publicJwk, null, 2)}\n`
  for (const [name, text] of [
    [PUBLIC_KEY_FILE, key.publicPem],
    [PUBLIC_JWK_FILE, jwkText],
  ] as const) {
    const file = path.join(dir, name)
    const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : null
    if (current !== text) writeReplace(file, text)
  }
}

/**
 * Loads the signing key from `dataDir`, generating it on first start.
 * Files: signing-key.pem (PKCS#8 private), signing-key.pub.pem (SPKI), signing-key.pub.jwk.json; all 0600.
 */
export function loadOrCreateServerKey(dataDir: string): ServerKey {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 })
  const file = path.join(dataDir, PRIVATE_KEY_FILE)
  let key: ServerKey
  if (fs.existsSync(file)) {
    key = readPrivate(file)
  } else {
    const { privateKey } = generateKeyPairSync('ed25519')
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
    key = writeNew(file, pem) ? fromPrivateKey(privateKey, true) : readPrivate(file)
  }
  writePublicFiles(dataDir, key)
  return key
}

/** What GET /api/public-key answers: the public JWK (kty, crv, x, kid) plus the same key as PEM. */
export function publicKeyJwk(key: ServerKey): PublicKeyResponse {
  return { ...key.publicJwk, alg: 'EdDSA', use: 'sig', pem: key.publicPem }
}

/** Ed25519 signature of the UTF-8 bytes of `text`, base64url. */
export function signText(key: ServerKey, text: string): string {
  return sign(null, Buffer.from(text, 'utf8'), key.privateKey).toString('base64url')
}
