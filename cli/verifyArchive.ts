// `cli verify-archive FILE [--key PUBLIC_KEY_FILE] [--json]`: checks a room archive or a dispute bundle offline.
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import { verifyArchive, type ArchiveReport } from '../shared/archive/verifyArchive.ts'
import { EXIT, type CliIo, type Command } from './command.ts'
import { parseFileArgs } from './fileArgs.ts'

export const VERIFY_ARCHIVE_USAGE = `verify-archive FILE [--key PUBLIC_KEY_FILE] [--json]
  FILE is a room archive (GET /api/rooms/:id/archive) or a dispute bundle. Checks the hash
  chain, seqs, timestamps and every document update, and names the first bad seq; the room id
  bound into seq 1; the server's signed anchor at the end (room, last seq and hash: a log cut
  short, relabelled or re-chained fails); for a bundle also the signed agreement against the
  document replayed to the lock and the log head it pins. The key (PEM or JWK, e.g. GET
  /api/public-key): --key, else the bundle's; without one the anchor's signature is not checked.
  An export without anchor (made before anchors) verifies with a warning.
  Exit 0 valid (warnings printed), 1 invalid or unreadable, 2 bad usage.`

const INVALID = 1

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex')

function describe(r: ArchiveReport, out: (line: string) => void): void {
  if (r.roomId !== null) out(`  room        ${r.roomId}`)
  if (r.anchor) {
    const signed = r.anchor.signed ? `signed by the ${r.anchor.key === 'given' ? 'given' : "bundle's"} key (kid ${r.anchor.kid})` : 'anchor signature NOT checked'
    out(`  complete    to event ${r.anchor.lastSeq}, ${signed}`)
  }
  if (r.lockSeq !== null) out(`  locked      at seq ${r.lockSeq}, content hash ${r.contentHashAtLock ?? '?'}`)
  const a = r.agreement
  if (a) {
    const key = a.key.source === 'none' ? 'no usable key' : `${a.key.source} key (kid ${a.key.kid ?? '?'})`
    out(`  agreement   ${a.valid ? 'valid' : 'INVALID'}: contentHash ${a.contentHash}, signature checked with the ${key}`)
  }
  for (const w of r.warnings) out(`  warning     ${w.message}`)
  for (const note of r.notes) out(`  note        ${note}`)
}

/** Runs the command; resolves to the exit code. */
export async function runVerifyArchive(argv: string[], cli: Pick<CliIo, 'stdout' | 'stderr'>): Promise<number> {
  const out = (line: string): void => cli.stdout(`${line}\n`)
  const args = parseFileArgs(argv, ['key'] as const)
  if (typeof args === 'string') {
    if (args === '') {
      out(`usage: ${VERIFY_ARCHIVE_USAGE}`)
      return EXIT.ok
    }
    cli.stderr(`verify-archive: ${args}\nusage: ${VERIFY_ARCHIVE_USAGE}\n`)
    return EXIT.usage
  }
  let text: string
  let publicKey: string | undefined
  try {
    text = fs.readFileSync(args.file, 'utf8')
  } catch (err) {
    out(`invalid: cannot read ${args.file}: ${(err as Error).message}`)
    return INVALID
  }
  if (args.options.key !== undefined) {
    try {
      publicKey = fs.readFileSync(args.options.key, 'utf8')
    } catch (err) {
      out(`invalid: cannot read the public key ${args.options.key}: ${(err as Error).message}`)
      return INVALID
    }
  }

  const report = await verifyArchive(text, { sha256, ...(publicKey !== undefined ? { publicKey } : {}) })
  if (args.json) {
    out(JSON.stringify(report, null, 2))
    return report.valid ? EXIT.ok : INVALID
  }
  if (report.valid) {
    out(`valid: ${report.events} events, last hash ${report.lastHash ?? ''}`)
    describe(report, out)
    return EXIT.ok
  }
  const first = report.first!
  out(first.seq !== null ? `invalid: first bad seq ${first.seq}` : `invalid: ${first.message}`)
  if (first.seq !== null) out(`  ${first.message}`)
  for (const p of report.problems.slice(1)) out(`  - ${p.message}`)
  describe(report, out)
  return INVALID
}

export const command: Command = {
  usage: VERIFY_ARCHIVE_USAGE,
  run: (args, io) => runVerifyArchive(args, io),
}
