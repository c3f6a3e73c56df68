// The content hash that both parties confirm (contract: DESIGN.md). Same function in browser and server.
import * as Y from 'yjs'
import { computeSchedule } from '../terms/index.ts'
import type { Terms } from '../terms/types.ts'
import { validateTerms } from '../schema/terms.schema.ts'
import { canonicalJson } from './canonicalJson.ts'
import { readContent, type RoomContent } from './roomDoc.ts'
import { sha256Hex } from './sha256.ts'

export interface ComputedTotals {
  totalInterest: number
  totalPaid: number
  aprPct: string
  earPct: string
}

export interface HashedContent extends RoomContent {
  /** null while the terms do not validate: such content can be seen but not confirmed. */
  computed: ComputedTotals | null
}

export function withComputedTotals(content: RoomContent): HashedContent {
  const checked = validateTerms(content.terms)
  if (!checked.ok) return { ...content, computed: null }
  const r = computeSchedule(checked.value as Terms)
  return {
    ...content,
    computed: { totalInterest: r.totalInterest, totalPaid: r.totalPaid, aprPct: r.aprPct, earPct: r.earPct },
  }
}

export function hashContent(content: RoomContent): string {
  return sha256Hex(canonicalJson(withComputedTotals(content)))
}

export function contentHashOfDoc(doc: Y.Doc): string {
  return hashContent(readContent(doc))
}
