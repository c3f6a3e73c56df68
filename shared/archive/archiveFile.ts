// The archive file (GET /api/rooms/:id/archive) and the dispute bundle (archive + signed agreement + key).
// Isomorphic: the server writes these, the CLI and the replay view read them.
import type { Agreement, PublicKeyJwk } from '../agreement/agreement.ts'
import type { ArchiveEvent } from '../protocol/eventLog.ts'
import type { ArchiveAnchor } from './anchor.ts'
import {
  ARCHIVE_FORMAT,
  ARCHIVE_VERSION,
  DISPUTE_BUNDLE_FORMAT,
  validateArchiveFileShape,
  validateDisputeBundleShape,
} from '../schema/archive.schema.ts'
import type { Validation } from '../schema/validate.ts'

export { ARCHIVE_FORMAT, ARCHIVE_VERSION, DISPUTE_BUNDLE_FORMAT }

export interface ArchiveFile {
  format: typeof ARCHIVE_FORMAT
  version: typeof ARCHIVE_VERSION
  roomId: string
  title: string
  /** ISO 4217; money in the events is in its minor units. */
  currency: string
  /** ISO 8601 instant. Not covered by the hash chain (neither are roomId, title and currency). */
  exportedAt: string
  /** The whole log, seq 1..n in order. */
  events: ArchiveEvent[]
  /** The server's signature over where the log ended (absent in exports made before anchors). */
  anchor?: ArchiveAnchor
}

export interface DisputeBundle {
  format: typeof DISPUTE_BUNDLE_FORMAT
  version: typeof ARCHIVE_VERSION
  archive: ArchiveFile
  /** The signed agreement once the room is locked, else null. */
  agreement: Agreement | null
  /** The server's signing key (GET /api/public-key), else null (then the agreement's embedded key is used). */
  publicKey: PublicKeyJwk | null
}

export interface ArchiveRoom {
  roomId: string
  title: string
  currency: string
}

export type ArchiveInput =
  | { kind: 'archive'; archive: ArchiveFile; bundle: null }
  | { kind: 'bundle'; archive: ArchiveFile; bundle: DisputeBundle }

/** The archive of a room; `events` in seq order (the server maps StoredEvent with toArchiveEvent). */
export function buildArchiveFile(room: ArchiveRoom, events: readonly ArchiveEvent[], exportedAt: Date | number | string = Date.now()): ArchiveFile {
  const at = exportedAt instanceof Date ? exportedAt : new Date(exportedAt)
  if (Number.isNaN(at.getTime())) throw new Error('exportedAt is not a valid time')
  return {
    format: ARCHIVE_FORMAT,
    version: ARCHIVE_VERSION,
    roomId: room.roomId,
    title: room.title,
    currency: room.currency,
    exportedAt: at.toISOString(),
    events: [...events],
  }
}

export function buildDisputeBundle(archive: ArchiveFile, agreement: Agreement | null, publicKey: PublicKeyJwk | null): DisputeBundle {
  return { format: DISPUTE_BUNDLE_FORMAT, version: ARCHIVE_VERSION, archive, agreement, publicKey }
}

/** JSON text → value, or a "/: not JSON (…)" error in the validators' format. */
export function parseJson(input: unknown): Validation<unknown> {
  if (typeof input !== 'string') return { ok: true, value: input }
  try {
    return { ok: true, value: JSON.parse(input) as unknown }
  } catch (err) {
    return { ok: false, error: `/: not JSON (${(err as Error).message})` }
  }
}

/** An archive file (text or parsed JSON), checked against the schema: {ok, value} or "/field/path: reason". */
export function parseArchiveFile(input: unknown): Validation<ArchiveFile> {
  const json = parseJson(input)
  if (!json.ok) return json
  const r = validateArchiveFileShape(json.value)
  return r.ok ? { ok: true, value: r.value as ArchiveFile } : r
}

/** A dispute bundle (text or parsed JSON), checked against the schema; the agreement itself is left to verifyAgreement. */
export function parseDisputeBundle(input: unknown): Validation<DisputeBundle> {
  const json = parseJson(input)
  if (!json.ok) return json
  const r = validateDisputeBundleShape(json.value)
  return r.ok ? { ok: true, value: r.value as DisputeBundle } : r
}

/** What kind of file this claims to be, from its `format` field. */
export function formatOf(value: unknown): 'archive' | 'bundle' | null {
  if (typeof value !== 'object' || value === null) return null
  const format = (value as { format?: unknown }).format
  return format === ARCHIVE_FORMAT ? 'archive' : format === DISPUTE_BUNDLE_FORMAT ? 'bundle' : null
}

export const UNKNOWN_FORMAT_ERROR = `/format: must be "${ARCHIVE_FORMAT}" or "${DISPUTE_BUNDLE_FORMAT}"`

/** Either file, told apart by `format`. */
export function parseArchiveInput(input: unknown): Validation<ArchiveInput> {
  const json = parseJson(input)
  if (!json.ok) return json
  const kind = formatOf(json.value)
  if (kind === 'archive') {
    const r = parseArchiveFile(json.value)
    return r.ok ? { ok: true, value: { kind, archive: r.value, bundle: null } } : r
  }
  if (kind === 'bundle') {
    const r = parseDisputeBundle(json.value)
    return r.ok ? { ok: true, value: { kind, archive: r.value.archive, bundle: r.value } } : r
  }
  return { ok: false, error: UNKNOWN_FORMAT_ERROR }
}
