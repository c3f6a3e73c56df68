// What this reader last confirmed, or else last opened the review on: the mark the review's "changed since" list and
// the confirm step compare with. Kept in localStorage per room and role, so a reload, or the invite link opened again
// tomorrow in a new tab, still says what changed since (sessionStorage would lose it with the tab, and people come
// back to a room days later). Small: the agreed maps as they were, the clauses only as their SHA-256, no results
// (the figures are recomputed from the content).
import type { ComparedContent } from '../../../shared/content/contentChanges.ts'
import type { RoomContent, Role, ScalarMap } from '../../../shared/document/roomDoc.ts'
import { sha256Hex } from '../../../shared/document/sha256.ts'

export interface SeenMark {
  content: ComparedContent
  /** true: a confirmation is the mark (a later review does not move it); false: the last review. */
  confirmed: boolean
}

const key = (roomId: string, role: Role) => `nr.seen.${roomId}.${role}`

function storage(): Storage | null {
  try {
    return globalThis.localStorage ?? null
  } catch {
    return null
  }
}

/** The content as a mark keeps it: the clauses as their fingerprint, so a clause edit still shows as one. */
export function markContent(c: Omit<RoomContent, 'clauses'> & { clauses: string }): ComparedContent {
  return { terms: c.terms, baseline: c.baseline, waivers: c.waivers, commitments: c.commitments, profile: c.profile, clauses: sha256Hex(c.clauses) }
}

function isScalarMap(x: unknown): x is ScalarMap {
  if (!x || typeof x !== 'object' || Array.isArray(x)) return false
  return Object.values(x).every((v) => typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v)))
}

/** The stored mark, or null when there is none or it does not read as one. */
export function loadSeen(roomId: string, role: Role): SeenMark | null {
  let raw: unknown
  try {
    raw = JSON.parse(storage()?.getItem(key(roomId, role)) ?? 'null')
  } catch {
    return null
  }
  if (!raw || typeof raw !== 'object') return null
  const { content, confirmed } = raw as { content?: Record<string, unknown>; confirmed?: unknown }
  if (!content || typeof confirmed !== 'boolean' || typeof content.clauses !== 'string') return null
  const maps = ['terms', 'baseline', 'waivers', 'commitments', 'profile'] as const
  if (!maps.every((m) => isScalarMap(content[m]))) return null
  return { content: content as unknown as ComparedContent, confirmed }
}

export function saveSeen(roomId: string, role: Role, mark: SeenMark): void {
  try {
    storage()?.setItem(key(roomId, role), JSON.stringify(mark))
  } catch {
    // Storage full or refused (private mode): the mark still holds for this page.
  }
}
