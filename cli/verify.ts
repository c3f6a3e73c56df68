// `cli verify FILE [--key PUBLIC_KEY_FILE | --url http://host] [--json]`: checks a signed agreement offline.
import fs from 'node:fs'
import { fingerprint, type Agreement } from '../shared/agreement/agreement.ts'
import type { PublicKeyInput } from '../shared/agreement/publicKey.ts'
import { verifyAgreement, type VerifyResult } from '../shared/agreement/verifyAgreement.ts'
import { formatMoney } from '../shared/format/money.ts'
import { EXIT, type CliIo, type Command } from './command.ts'
import { parseFileArgs, type FileArgs } from './fileArgs.ts'

export const VERIFY_USAGE = `verify FILE [--key PUBLIC_KEY_FILE | --url http://host] [--json]
  checks the signature, the content hash, every computed figure and both confirmations;
  the key: --key (PEM or JWK), else the server's GET /api/public-key (--url), else the one
  embedded in FILE (integrity only). Exit 0 valid, 1 invalid or unreadable, 2 bad usage.`

/** Exit code when the agreement does not verify (or cannot be read). */
const INVALID = 1

function parseArgs(argv: string[]): FileArgs<'key' | 'url'> | string {
  const args = parseFileArgs(argv, ['key', 'url'] as const)
  if (typeof args !== 'string' && args.options.key !== undefined && args.options.url !== undefined) return 'give either --key or --url, not both'
  return args
}

async function fetchKey(base: string): Promise<PublicKeyInput> {
  const url = new URL('/api/public-key', base)
  const res = await fetch(url, { signal: AbortSignal.timeout(10_000) })
  if (!res.ok) throw new Error(`${url} answered ${res.status}`)
  return (await res.json()) as PublicKeyInput
}

function summary(a: Agreement): string[] {
  const money = (m: number) => formatMoney(m, a.currency, 'en')
  const t = a.content.terms
  const c = a.computed
  const lines = [
    `  agreement   ${JSON.stringify(a.title)} (room ${a.roomId}), locked ${a.lockedAt}`,
    `  content     hash ${a.contentHash} (fingerprint ${fingerprint(a.contentHash)})`,
  ]
  for (const conf of a.confirmations) lines.push(`  ${conf.role.padEnd(11)} ${conf.name}, confirmed ${conf.confirmedAt}`)
  lines.push(
    `  terms       ${typeof t['principal'] === 'number' ? money(t['principal']) : '?'} at ${String(t['annualRatePct'])}% over ${String(t['termMonths'])} months, ${String(t['method'])}`,
    `  figures     instalment ${money(c.regularInstalment)}, total paid ${money(c.totalPaid)}, interest ${money(c.totalInterest)}, APR ${c.aprPct}%, ${c.payments.length} payments`,
  )
  if (a.attachments.length > 0) lines.push(`  attachments ${a.attachments.length}`)
  lines.push(
    a.logHead
      ? `  log head    event ${a.logHead.seq}, hash ${a.logHead.hash} (verify-archive checks the room's log against it)`
      : "  log head    none: signed before agreements pinned the room's log (warning)",
  )
  return lines
}

function keyLine(result: VerifyResult, origin: string): string {
  if (result.key.source === 'none') return '  key         none usable'
  if (result.key.source === 'embedded') {
    return `  key         the one embedded in the file (kid ${result.key.kid}); this proves integrity, not who signed: pass --key or --url to check it is the server's key`
  }
  return `  key         ${origin} (kid ${result.key.kid})`
}

/** Runs the command; resolves to the exit code. */
export async function runVerify(argv: string[], cli: Pick<CliIo, 'stdout' | 'stderr'>): Promise<number> {
  const io = { out: (line: string) => cli.stdout(`${line}\n`), err: (line: string) => cli.stderr(`${line}\n`) }
  const args = parseArgs(argv)
  if (typeof args === 'string') {
    if (args === '') {
      io.out(`usage: ${VERIFY_USAGE}`)
      return EXIT.ok
    }
    io.err(`verify: ${args}\nusage: ${VERIFY_USAGE}`)
    return EXIT.usage
  }
  let text: string
  try {
    text = fs.readFileSync(args.file, 'utf8')
  } catch (err) {
    io.out(`invalid: cannot read ${args.file}: ${(err as Error).message}`)
    return INVALID
  }
  let publicKey: PublicKeyInput | undefined
  let origin = ''
  try {
    if (args.options.key !== undefined) {
      publicKey = fs.readFileSync(args.options.key, 'utf8')
      origin = `from ${args.options.key}`
    } else if (args.options.url !== undefined) {
      publicKey = await fetchKey(args.options.url)
      origin = `from ${new URL('/api/public-key', args.options.url).toString()}`
    }
  } catch (err) {
    io.out(`invalid: cannot get the public key: ${(err as Error).message}`)
    return INVALID
  }

  const result = await verifyAgreement(text, publicKey !== undefined ? { publicKey } : {})
  if (args.json) {
    const { agreement: _a, ...report } = result
    io.out(JSON.stringify({ ...report, keyOrigin: result.key.source === 'given' ? origin : result.key.source }, null, 2))
    return result.valid ? EXIT.ok : INVALID
  }
  if (result.valid && result.agreement) {
    io.out('valid')
    io.out(keyLine(result, origin))
    for (const line of summary(result.agreement)) io.out(line)
    return EXIT.ok
  }
  io.out(`invalid: ${result.problems.length} problem${result.problems.length === 1 ? '' : 's'}`)
  for (const p of result.problems) io.out(`  - ${p.message}`)
  io.out(keyLine(result, origin))
  return INVALID
}

export const command: Command = {
  usage: VERIFY_USAGE,
  run: (args, io) => runVerify(args, io),
}
