// `npx tsx cli/main.ts verify-archive FILE`: exit 0 "valid: …", exit 1 naming the first bad seq, exit 2 for usage.
import { execFile } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { buildAgreement } from '../server/agreement/buildAgreement.ts'
import { removeTemporaryKeys, temporaryServerKey } from '../test/support/agreement/sampleAgreement.ts'
import { signAnchor } from '../server/agreement/signAnchor.ts'
import { buildArchiveFile, buildDisputeBundle, type ArchiveFile } from '../shared/archive/archiveFile.ts'
import { recordSession } from '../test/support/archive/session.ts'
import { appendEvent, rechain, tamper } from '../test/support/archive/tamper.ts'
import { hashContent } from '../shared/content/contentHash.ts'
import { readContent } from '../shared/document/roomDoc.ts'
import type { ArchiveEvent } from '../shared/protocol/eventLog.ts'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'verify-archive-'))
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true })
  removeTemporaryKeys()
})

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
    execFile('npx', ['tsx', 'cli/main.ts', 'verify-archive', ...args], { cwd: root, timeout: 60_000 }, (err, stdout, stderr) => {
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
    // An export made before anchors: valid, and it says what it cannot prove.
    expect(r.stdout).toContain('  warning     this export has no anchor (it was made before exports were signed)')
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

describe('cli verify-archive: the anchor, the room binding and the log head (issue #14 §3)', () => {
  const key = temporaryServerKey()
  const keyFile = write('server.pub.pem', key.publicPem)
  const session = recordSession({ updates: 30, seed: 13, chatEvery: 3, lock: true, roomId: 'room-A' })
  const lockSeq = session.events.length
  const evs = appendEvent(structuredClone(session.events), { role: 'lender', name: 'Wang' }, 'attachment', { sha256: 'b'.repeat(64), size: 10, mediaType: 'image/png', name: 'receipt.png' })
  const n = evs.length
  const roomA = { ...room, roomId: 'room-A' }
  const exported = (e: ArchiveEvent[]): ArchiveFile => {
    const file = buildArchiveFile(roomA, e, '2025-03-14T10:00:00.000Z')
    return { ...file, anchor: signAnchor(key, { roomId: 'room-A', lastSeq: e.at(-1)!.seq, lastHash: e.at(-1)!.hash, exportedAt: file.exportedAt }) }
  }
  const content = readContent(session.server)
  const hash = hashContent(content)
  const agreement = buildAgreement(
    {
      roomId: 'room-A',
      title: room.title,
      currency: room.currency,
      lockedAt: evs[lockSeq - 1]!.ts,
      content,
      confirmations: [
        { role: 'borrower', name: '张伟', confirmedAt: evs[lockSeq - 3]!.ts, hash },
        { role: 'lender', name: 'Wang Lei', confirmedAt: evs[lockSeq - 2]!.ts, hash },
      ],
      logHead: { seq: lockSeq - 2, hash: evs[lockSeq - 3]!.hash },
    },
    key,
  )
  const chatAt = evs.findIndex((e, i) => e.type === 'chat' && i < lockSeq - 3)
  const rewritten = (): ArchiveEvent[] => {
    const copy = structuredClone(evs)
    copy[chatAt]!.payload = { ...(copy[chatAt]!.payload as object), text: 'The lender waives all interest.' }
    return rechain(copy, chatAt)
  }
  const file = exported(evs)

  it('exits 0 for an export as the server makes it: complete to its last event, signed', async () => {
    const r = await cli(write('signed.json', file), '--key', keyFile)
    expect(r.code).toBe(0)
    expect(r.stdout).toContain(`  complete    to event ${n}, signed by the given key (kid ${key.kid})`)
    expect(r.stdout).not.toContain('warning')
  }, 60_000)

  it('exits 1 naming why: last three events dropped, relabelled room, chat rewritten with the chain recomputed', async () => {
    let r = await cli(write('cut.json', { ...file, events: evs.slice(0, n - 3) }), '--key', keyFile)
    expect(r.code).toBe(1)
    expect(r.stdout).toMatch(new RegExp(`^invalid: first bad seq ${n - 2}\n {2}the log ends at seq ${n - 3}, but the anchor says seq ${n}: seqs ${n - 2}–${n} were dropped from the end\n`))
    r = await cli(write('relabelled.json', { ...file, roomId: 'room-B' }), '--key', keyFile)
    expect(r.code).toBe(1)
    expect(r.stdout).toMatch(/^invalid: the archive is labelled room "room-B", but its log was created for room "room-A" \(seq 1\)\n/)
    r = await cli(write('rechained.json', { ...file, events: rewritten() }), '--key', keyFile)
    expect(r.code).toBe(1)
    expect(r.stdout).toMatch(/^invalid: the log ends at seq \d+ with hash \w+…, but the server signed \w+…: an event was changed and the chain recomputed\n/)
  }, 90_000)

  it('exits 1 for a locked bundle with pre-lock chat rewritten, or post-lock evidence dropped, the chain recomputed', async () => {
    let r = await cli(write('bundle-rewritten.json', buildDisputeBundle({ ...file, events: rewritten() }, agreement, key.publicJwk)))
    expect(r.code).toBe(1)
    expect(r.stdout).toMatch(new RegExp(`^invalid: the agreement signed at the lock pins seq ${lockSeq - 2} with hash \\w+…, but this log has \\w+… there`))
    const dropped = buildDisputeBundle({ ...file, events: evs.slice(0, n - 1) }, agreement, key.publicJwk)
    r = await cli(write('bundle-dropped.json', dropped))
    expect(r.code).toBe(1)
    expect(r.stdout).toMatch(new RegExp(`^invalid: first bad seq ${n}\\n {2}the log ends at seq ${n - 1}, but the anchor says seq ${n}: seq ${n} was dropped from the end`))
  }, 90_000)
})
