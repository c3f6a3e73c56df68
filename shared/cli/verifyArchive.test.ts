// `npx tsx shared/cli/main.ts verify-archive FILE`: exit 0 "valid: …", exit 1 naming the first bad seq, exit 2 for usage.
import { execFile } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { buildArchiveFile } from '../archive/archiveFile.ts'
import { recordSession } from '../archive/testing/session.ts'
import { tamper } from '../archive/testing/tamper.ts'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'verify-archive-'))
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

const { events } = recordSession({ updates: 50, seed: 12, chatEvery: 4, lock: true })
const room = { roomId: 'room-7f3a', title: 'Restructuring of loan 2023-118', currency: 'CNY' }

function write(name: string, data: unknown): string {
  const file = path.join(dir, name)
  fs.writeFileSync(file, typeof data === 'string' ? data : JSON.stringify(data, null, 2))
  return file
}

const good = write('archive.json', buildArchiveFile(room, events))
const dropped = write('dropped.json', buildArchiveFile(room, tamper(events, { kind: 'drop', at: 20, renumber: false })))
const altered = write('altered.json', buildArchiveFile(room, tamper(events, { kind: 'ts', at: 33, delta: -5_000 })))

function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('npx', ['tsx', 'shared/cli/main.ts', 'verify-archive', ...args], { cwd: root, timeout: 60_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0
      resolve({ code, stdout, stderr })
    })
  })
}

describe('cli verify-archive', () => {
  it('exits 0 and prints the event count and the last hash', async () => {
    const r = await cli(good)
    expect(r.stderr).not.toMatch(/verify-archive:|Error/) // npx may print its own warnings
    expect(r.code).toBe(0)
    expect(r.stdout.split('\n')[0]).toBe(`valid: ${events.length} events, last hash ${events.at(-1)!.hash}`)
    expect(r.stdout).toContain(`locked      at seq ${events.length}`)
  }, 60_000)

  it('exits 1 and names the first bad seq and why', async () => {
    let r = await cli(dropped)
    expect(r.code).toBe(1)
    expect(r.stdout).toMatch(/^invalid: first bad seq 21\n {2}seq 21 is missing: seq 20 is followed by seq 22\n/)
    r = await cli(altered)
    expect(r.code).toBe(1)
    expect(r.stdout).toMatch(/^invalid: first bad seq 34\n {2}seq 34 was altered: its hash does not match its content/)
  }, 60_000)

  it('exits 1 for a file that is not an archive, and 2 for bad usage', async () => {
    let r = await cli(write('other.json', { format: 'negotiation-room-agreement' }))
    expect(r.code).toBe(1)
    expect(r.stdout).toMatch(/^invalid: \/format: must be "negotiation-room-archive" or "negotiation-room-dispute-bundle"/)
    r = await cli(path.join(dir, 'missing.json'))
    expect(r.code).toBe(1)
    expect(r.stdout).toMatch(/^invalid: cannot read/)
    r = await cli()
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/verify-archive: FILE is missing\nusage: verify-archive FILE/)
    r = await cli(good, '--frobnicate')
    expect(r.code).toBe(2)
  }, 60_000)

  it('prints the report as JSON with --json', async () => {
    const r = await cli(dropped, '--json')
    expect(r.code).toBe(1)
    const report = JSON.parse(r.stdout) as { valid: boolean; first: { seq: number; code: string } }
    expect(report).toMatchObject({ valid: false, first: { seq: 21, code: 'seq_missing' } })
  }, 60_000)
})
