// Checks an archive (or a dispute bundle) offline and names the FIRST bad seq with a human reason.
// On top of verifyChain: it tells a dropped, inserted, reordered, altered or rewritten event apart,
// refuses timestamps going backwards and update payloads Yjs cannot use, and for a bundle checks
// the signed agreement against the document replayed to the lock. Isomorphic (browser replay view, CLI).
import type { PublicKeyInput } from '../agreement/publicKey.ts'
import { validateArchiveEnvelope, validateDisputeBundleEnvelope } from '../schema/archive.schema.ts'
import { agreementProblems, type AgreementCheck } from './agreementCheck.ts'
import { anchorProblems, type AnchorCheck } from './anchorCheck.ts'
import type { ArchiveProblem, Findings } from './archiveProblem.ts'
import { formatOf, parseJson, UNKNOWN_FORMAT_ERROR, type ArchiveFile, type DisputeBundle } from './archiveFile.ts'
import { envelopeProblems } from './envelopeCheck.ts'
import { checkEventLog } from './eventLogCheck.ts'

export type { ArchiveProblem, ArchiveProblemCode, LogProblem, LogProblemCode } from './archiveProblem.ts'
export type { AgreementCheck } from './agreementCheck.ts'
export type { AnchorCheck } from './anchorCheck.ts'
export { checkEventLog, type LogCheck, type LogSummary } from './eventLogCheck.ts'

export interface ArchiveReport {
  valid: boolean
  kind: 'archive' | 'bundle' | null
  /** The first problem along the log, else the first of the others; null when valid. */
  first: ArchiveProblem | null
  /** Every problem found: at most one about the log (its first bad seq), then envelope and bundle problems. */
  problems: ArchiveProblem[]
  events: number
  /** Hash of the last event when the chain holds. */
  lastHash: string | null
  lockSeq: number | null
  contentHashAtLock: string | null
  /** Present for a bundle that carries an agreement. */
  agreement: AgreementCheck | null
  /** Things worth knowing that do not make the file invalid. */
  notes: string[]
  /** What the file cannot prove, with a code (an export without anchor, an unchecked signature, an old agreement). */
  warnings: ArchiveProblem[]
  /** The anchor, when present and the log verified up to it. */
  anchor: AnchorCheck | null
  roomId: string | null
}

export interface VerifyArchiveOptions {
  /** The key to trust for the agreement (else the bundle's publicKey, else the agreement's embedded one). */
  publicKey?: PublicKeyInput
  /** SHA-256 hex of a string; the CLI passes node:crypto's for speed. */
  sha256?: (s: string) => string
}

/** A report with nothing found yet; the checks fill it in. */
function blankReport(kind: ArchiveReport['kind'], roomId: string | null, events: number): ArchiveReport {
  return {
    valid: false,
    kind,
    first: null,
    problems: [],
    events,
    lastHash: null,
    lockSeq: null,
    contentHashAtLock: null,
    agreement: null,
    notes: [],
    warnings: [],
    anchor: null,
    roomId,
  }
}

function unreadable(kind: ArchiveReport['kind'], message: string): ArchiveReport {
  const problem: ArchiveProblem = { code: 'format', seq: null, message }
  return { ...blankReport(kind, null, 0), first: problem, problems: [problem] }
}

/**
 * Verifies an archive file or a dispute bundle (JSON text or parsed value). Never throws for bad
 * input: `first` names the first bad seq (or the envelope/bundle problem) with a human reason.
 */
export async function verifyArchive(input: unknown, options: VerifyArchiveOptions = {}): Promise<ArchiveReport> {
  const json = parseJson(input)
  if (!json.ok) return unreadable(null, json.error)
  const kind = formatOf(json.value)
  if (kind === null) return unreadable(null, UNKNOWN_FORMAT_ERROR)
  const envelope = kind === 'archive' ? validateArchiveEnvelope(json.value) : validateDisputeBundleEnvelope(json.value)
  if (!envelope.ok) return unreadable(kind, envelope.error)

  const bundle = kind === 'bundle' ? (json.value as DisputeBundle) : null
  const archive = bundle ? bundle.archive : (json.value as ArchiveFile)
  const events = archive.events as unknown[]
  const report = blankReport(kind, archive.roomId, events.length)
  if (events.length === 0) report.problems.push({ code: 'empty', seq: null, message: 'the archive holds no events' })
  else {
    const log = checkEventLog(events, options.sha256)
    if (!log.ok) report.problems.push(log.problem)
    else {
      report.lastHash = log.lastHash
      report.lockSeq = log.lockSeq
      report.contentHashAtLock = log.contentHashAtLock
      report.problems.push(...envelopeProblems(archive))
      const found: Findings = { problems: report.problems, warnings: report.warnings, notes: report.notes }
      if (bundle) {
        const r = await agreementProblems(bundle, log, options.publicKey, found)
        report.problems.push(...r.problems)
        report.agreement = r.check
      }
      const key = options.publicKey !== undefined ? { input: options.publicKey, source: 'given' as const } : bundle?.publicKey ? { input: bundle.publicKey, source: 'bundle' as const } : null
      report.anchor = await anchorProblems(archive, log, key, found)
    }
  }
  report.first = report.problems[0] ?? null
  report.valid = report.problems.length === 0
  return report
}

