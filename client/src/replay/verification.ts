// The replay view's check of the archive it shows (verifyArchive, the same as the CLI), with the first
// problem's reason in the chosen language (the verifier's own English sentence stays as detail).
import type { ArchiveFile } from '../../../shared/archive/archiveFile.ts'
import { verifyArchive } from '../../../shared/archive/verifyArchive.ts'
import type { MessageKey } from '../../../shared/i18n/messages.ts'
import { messages } from '../../../shared/i18n/messages.ts'
import { t } from '../lib/i18n.svelte.ts'

export type Verification =
  | { status: 'checking' }
  | { status: 'valid'; events: number; lastHash: string }
  | { status: 'invalid'; seq: number | null; code: string; detail: string }

export async function verifyForReplay(archive: ArchiveFile): Promise<Verification> {
  const r = await verifyArchive(archive)
  if (r.valid && r.lastHash) return { status: 'valid', events: r.events, lastHash: r.lastHash }
  const first = r.first
  return { status: 'invalid', seq: first?.seq ?? null, code: first?.code ?? 'other', detail: first?.message ?? '' }
}

/** The translated reason of a problem code ("an event was altered"). */
export function problemText(code: string): string {
  const key = `replay.problem.${code}` as MessageKey
  return key in messages.en ? t(key) : t('replay.problem.other')
}
