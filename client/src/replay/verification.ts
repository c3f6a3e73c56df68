// The replay view's check of the archive it shows (verifyArchive, the same as the CLI, with the server's
// public key so the anchor's signature is checked), with the first problem's reason in the chosen language
// (the verifier's own English sentence stays as detail).
import type { PublicKeyInput } from '../../../shared/agreement/publicKey.ts'
import type { ArchiveFile } from '../../../shared/archive/archiveFile.ts'
import { verifyArchive } from '../../../shared/archive/verifyArchive.ts'
import { t } from '../lib/i18n.svelte.ts'
import { labelKey, PROBLEM_TEXT, WARNING_TEXT } from '../i18n/labels.ts'

export type Verification =
  | { status: 'checking' }
  /** `signedTo`: the seq the server's checked signature says the record is complete to, else null. */
  | { status: 'valid'; events: number; lastHash: string; signedTo: number | null; warnings: { code: string; detail: string }[] }
  | { status: 'invalid'; seq: number | null; code: string; detail: string }

/** GET /api/public-key (public), or null when it cannot be fetched: then the signature is reported unchecked. */
export async function fetchServerKey(): Promise<PublicKeyInput | null> {
  try {
    const res = await fetch('/api/public-key', { headers: { Accept: 'application/json' } })
    return res.ok ? ((await res.json()) as PublicKeyInput) : null
  } catch {
    return null
  }
}

export async function verifyForReplay(archive: ArchiveFile, publicKey: PublicKeyInput | null = null): Promise<Verification> {
  const r = await verifyArchive(archive, publicKey !== null ? { publicKey } : {})
  if (r.valid && r.lastHash) {
    return {
      status: 'valid',
      events: r.events,
      lastHash: r.lastHash,
      signedTo: r.anchor?.signed ? r.anchor.lastSeq : null,
      warnings: r.warnings.map((w) => ({ code: w.code, detail: w.message })),
    }
  }
  const first = r.first
  return { status: 'invalid', seq: first?.seq ?? null, code: first?.code ?? 'other', detail: first?.message ?? '' }
}

/** The translated reason of a problem code ("an event was altered"). */
export function problemText(code: string): string {
  return t(labelKey(PROBLEM_TEXT, code) ?? 'replay.problem.other')
}

/** The translated warning of a verifier warning code, or its English detail when there is no translation. */
export function warningText(code: string, detail: string): string {
  const key = labelKey(WARNING_TEXT, code)
  return key ? t(key) : detail
}
