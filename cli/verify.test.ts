// `npx tsx cli/main.ts verify FILE`: exit 0 and "valid", or exit 1 and what does not match.
import { execFile } from 'node:child_process'
import fs from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { buildAgreement } from '../server/agreement/buildAgreement.ts'
import { sampleLockInput, removeTemporaryKeys, temporaryServerKey } from '../test/support/agreement/sampleAgreement.ts'
import { publicKeyJwk } from '../server/agreement/serverKey.ts'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const key = temporaryServerKey()
const otherKey = temporaryServerKey()
const agreement = buildAgreement(sampleLockInput(), key)
afterAll(removeTemporaryKeys)

function write(name: string, data: unknown): string {
  const file = path.join(key.dir, name)
  fs.writeFileSync(file, typeof data === 'string' ? data : JSON.stringify(data, null, 2))
  return file
}

const good = write('agreement.json', agreement)
const keyPem = write('server.pub.pem', key.publicPem)
const otherPem = write('other.pub.pem', otherKey.publicPem)
const tampered = write('tampered.json', { ...agreement, computed: { ...agreement.computed, totalPaid: agreement.computed.totalPaid + 1 } })

function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('npx', ['tsx', 'cli/main.ts', 'verify', ...args], { cwd: root, timeout: 60_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0
      resolve({ code, stdout, stderr })
    })
  })
}

let server: http.Server | undefined
afterAll(() => server?.close())

describe('cli verify', () => {
  it('exits 0 and says valid, naming the key it used', async () => {
    const r = await cli(good, '--key', keyPem)
    expect(r.stderr).not.toMatch(/verify:|Error/) // npx may print its own warnings
    expect(r.code).toBe(0)
    expect(r.stdout.split('\n')[0]).toBe('valid')
    expect(r.stdout).toContain(`from ${keyPem} (kid ${key.kid})`)
    expect(r.stdout).toContain(agreement.contentHash)
    expect(r.stdout).toContain('张伟')
  }, 60_000)

  it('falls back to the embedded key and says that this proves integrity only', async () => {
    const r = await cli(good)
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/embedded in the file .*proves integrity, not who signed/)
  }, 60_000)

  it('exits 1 and says what does not match', async () => {
    const r = await cli(tampered, '--key', keyPem)
    expect(r.code).toBe(1)
    expect(r.stdout).toMatch(/^invalid: 2 problems/)
    expect(r.stdout).toContain('- signature does not match')
    expect(r.stdout).toContain('- computed.totalPaid does not match terms')
  }, 60_000)

  it('exits 1 with another key', async () => {
    const r = await cli(good, `--key=${otherPem}`)
    expect(r.code).toBe(1)
    expect(r.stdout).toContain('signature does not match')
  }, 60_000)

  it('fetches the key from a server with --url', async () => {
    server = http.createServer((req, res) => {
      if (req.url === '/api/public-key') res.setHeader('content-type', 'application/json').end(JSON.stringify(publicKeyJwk(key)))
      else res.writeHead(404).end()
    })
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve))
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    const r = await cli(good, '--url', url, '--json')
    expect(r.code).toBe(0)
    expect(JSON.parse(r.stdout)).toMatchObject({ valid: true, problems: [], key: { source: 'given', kid: key.kid } })
  }, 60_000)

  it('exits 1 for an unreadable file and 2 for bad usage', async () => {
    expect((await cli(path.join(key.dir, 'missing.json'))).code).toBe(1)
    const usage = await cli()
    expect(usage.code).toBe(2)
    expect(usage.stderr).toContain('FILE is missing')
  }, 60_000)
})
