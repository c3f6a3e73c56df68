// The content hash that both parties confirm (contract: DESIGN.md). Same function in browser and server.
import * as Y from 'yjs'
import { canonicalJson } from '../document/canonicalJson.ts'
import { readContent, type RoomContent } from '../document/roomDoc.ts'
import { sha256Hex } from '../document/sha256.ts'
import type { NewPrincipalBreakdown } from '../restructuring/newPrincipal.ts'
import { computeSchedule } from '../terms/index.ts'
import { checkContent } from './validateContent.ts'

export interface ComputedTotals {
  totalInterest: number
  totalPaid: number
  aprPct: string
  earPct: string
  /** In a restructuring room: how the new principal (the principal of these totals) is made up. */
  breakdown?: NewPrincipalBreakdown
}

export interface HashedContent extends RoomContent {
  /** null while the content does not validate (validateContent): such content can be seen but not confirmed. */
  computed: ComputedTotals | null
}

/**
 * The content plus the totals of its effective terms (shared/content/effectiveTerms.ts). A room that is
 * not a restructuring hashes exactly as before the restructuring model existed (no `breakdown` key).
 */
export function withComputedTotals(content: RoomContent): HashedContent {
  const checked = checkContent(content)
  if (!checked.ok) return { ...content, computed: null }
  const r = computeSchedule(checked.value.terms)
  const computed: ComputedTotals = { totalInterest: r.totalInterest, totalPaid: r.totalPaid, aprPct: r.aprPct, earPct: r.earPct }
  const restructuring = checked.value.restructuring
  if (restructuring) computed.breakdown = restructuring.breakdown
  return { ...content, computed }
}

export function hashContent(content: RoomContent): string {
  return sha256Hex(canonicalJson(withComputedTotals(content)))
}

export function contentHashOfDoc(doc: Y.Doc): string {
  return hashContent(readContent(doc))
}
