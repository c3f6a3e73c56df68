// A dispute bundle's signed agreement against the log it comes with: the lock, the content replayed to it, the log head.
import { agreementHash, type Agreement } from '../agreement/agreement.ts'
import type { PublicKeyInput } from '../agreement/publicKey.ts'
import { verifyAgreement, type KeyUsed, type VerifyProblem } from '../agreement/verifyAgreement.ts'
import { isObject } from '../schema/isObject.ts'
import { short, type ArchiveProblem, type Findings } from './archiveProblem.ts'
import type { ArchiveFile, DisputeBundle } from './archiveFile.ts'
import type { CheckedLog } from './eventLogCheck.ts'

export interface AgreementCheck {
  valid: boolean
  contentHash: string
  /** The hash of the document replayed to the lock event, when there is one. */
  replayedHash: string | null
  key: KeyUsed
  problems: VerifyProblem[]
}

/** The agreement's signed log head (the last event before the lock) must be in this log, unchanged. */
function logHeadProblems(agreement: Agreement, archive: ArchiveFile, log: CheckedLog, warnings: ArchiveProblem[]): ArchiveProblem[] {
  const head = agreement.logHead
  if (head === undefined) {
    warnings.push({
      code: 'log_head_missing',
      seq: null,
      message: 'the agreement was signed before agreements pinned the log head: the log before the lock rests on the hash chain and the anchor alone',
    })
    return []
  }
  if (!isObject(head) || typeof head.seq !== 'number' || typeof head.hash !== 'string') return [] // verifyAgreement reports the shape
  const at = archive.events[head.seq - 1]
  if (log.lockSeq !== null && head.seq >= log.lockSeq) {
    return [{ code: 'log_head_mismatch', seq: null, message: `the agreement pins the log at seq ${head.seq}, which is not before the lock at seq ${log.lockSeq}` }]
  }
  if (!at) return [{ code: 'log_head_mismatch', seq: null, message: `the agreement pins the log at seq ${head.seq}, but the log ends at seq ${log.events}` }]
  if (at.hash !== head.hash) {
    return [{
      code: 'log_head_mismatch',
      seq: null,
      message: `the agreement signed at the lock pins seq ${head.seq} with hash ${short(head.hash)}, but this log has ${short(at.hash)} there: an event up to seq ${head.seq} was changed and the chain recomputed`,
    }]
  }
  return []
}

export async function agreementProblems(
  bundle: DisputeBundle,
  log: CheckedLog,
  givenKey: PublicKeyInput | undefined,
  found: Findings,
): Promise<{ problems: ArchiveProblem[]; check: AgreementCheck | null }> {
  const notes = found.notes
  const agreement = bundle.agreement
  if (agreement === null) {
    if (log.lockSeq !== null) notes.push(`the room was locked at seq ${log.lockSeq} but the bundle carries no agreement`)
    return { problems: [], check: null }
  }
  const key = givenKey ?? bundle.publicKey ?? undefined
  const verified = await verifyAgreement(agreement, key !== undefined ? { publicKey: key } : {})
  const problems: ArchiveProblem[] = verified.problems.map((p) => ({ code: 'agreement_invalid', seq: log.lockSeq, message: `agreement: ${p.message}` }))
  const contentHash = isObject(agreement) && typeof agreement.contentHash === 'string' ? agreement.contentHash : ''
  if (isObject(agreement) && agreement.roomId !== bundle.archive.roomId) {
    problems.push({
      code: 'agreement_room',
      seq: null,
      message: `the agreement is for room ${JSON.stringify(agreement.roomId)}, the archive for room ${JSON.stringify(bundle.archive.roomId)}`,
    })
  }
  if (log.lockSeq === null) {
    problems.push({ code: 'no_lock', seq: null, message: 'the bundle carries an agreement but the log has no lock event (it may have been cut short)' })
  } else if (contentHash !== log.contentHashAtLock) {
    problems.push({
      code: 'agreement_mismatch',
      seq: log.lockSeq,
      message: `the agreement's contentHash ${short(contentHash)} is not the hash of the document replayed to the lock at seq ${log.lockSeq} (${short(log.contentHashAtLock ?? '')})`,
    })
  }
  if (log.lockSeq !== null) {
    const lock = bundle.archive.events[log.lockSeq - 1]
    const recorded = lock && isObject(lock.payload) ? lock.payload['agreementHash'] : undefined
    if (typeof recorded === 'string' && recorded !== agreementHash(agreement as Agreement)) {
      problems.push({ code: 'agreement_mismatch', seq: log.lockSeq, message: `the lock event at seq ${log.lockSeq} records another agreement (agreementHash ${short(recorded)})` })
    }
  }
  if (isObject(agreement)) problems.push(...logHeadProblems(agreement as Agreement, bundle.archive, log, found.warnings))
  if (bundle.publicKey && givenKey !== undefined) notes.push("the bundle's publicKey was not used: a key was given")
  if (verified.key.source === 'embedded') notes.push("the agreement was checked with the key embedded in it: this proves integrity, not who signed")
  return {
    problems,
    check: { valid: problems.length === 0, contentHash, replayedHash: log.contentHashAtLock, key: verified.key, problems: verified.problems },
  }
}
