// Is the room's content something both parties can confirm? Terms, baseline, waivers against the baseline, commitments.
import type { RoomContent } from '../document/roomDoc.ts'
import type { Baseline } from '../restructuring/baseline.ts'
import type { Commitments } from '../restructuring/commitments.ts'
import type { NewPrincipalBreakdown } from '../restructuring/newPrincipal.ts'
import type { Waivers } from '../restructuring/waivers.ts'
import { validateBaseline } from '../schema/baseline.schema.ts'
import { validateCommitments } from '../schema/commitments.schema.ts'
import { validateTerms } from '../schema/terms.schema.ts'
import { prefixed } from '../schema/validate.ts'
import { validateWaivers } from '../schema/waivers.schema.ts'
import type { Terms } from '../terms/types.ts'
import { breakdownOf, isRestructuring } from './breakdown.ts'
import { effectiveTerms } from './effectiveTerms.ts'

export interface CheckedRestructuring {
  baseline: Baseline
  waivers: Waivers
  breakdown: NewPrincipalBreakdown
}

/** The content as the engine reads it, once every part is valid. */
export interface CheckedContent {
  /** The effective terms (principal = new principal in a restructuring room), defaults filled in. */
  terms: Terms
  commitments: Commitments
  /** Null outside a restructuring room (no `baseline.outstandingPrincipal`). */
  restructuring: CheckedRestructuring | null
}

export type ContentCheck = { ok: true; value: CheckedContent; errors: [] } | { ok: false; errors: string[] }

export interface ContentValidation {
  ok: boolean
  /** "/section/field: reason", in the order of the proposal form: terms, baseline, waivers, commitments. */
  errors: string[]
}

/**
 * Checks everything that is agreed and answers the checked values, or every problem as content paths
 * ("/terms/termMonths: must be >= 1", "/waivers/fees: must be <= the baseline fees (36500)"). In a restructuring
 * room the terms are checked only once the new principal can be computed (they have none before).
 */
export function checkContent(content: RoomContent): ContentCheck {
  const termsErrors: string[] = []
  const sideErrors: string[] = []
  const restructuring = isRestructuring(content)
  let checkedRestructuring: CheckedRestructuring | null = null

  if (restructuring) {
    const b = breakdownOf(content)!
    if (b.ok) checkedRestructuring = { baseline: b.baseline, waivers: b.waivers, breakdown: b.breakdown }
    else sideErrors.push(...b.errors)
  } else {
    // A baseline without its outstanding principal is a half-stated debt; waivers need a baseline.
    if (Object.keys(content.baseline).length > 0) {
      const b = validateBaseline(content.baseline)
      if (!b.ok) sideErrors.push(prefixed('/baseline', b.error))
    }
    const w = validateWaivers(content.waivers, null)
    if (!w.ok) sideErrors.push(prefixed('/waivers', w.error))
  }

  let terms: Terms | null = null
  if (!restructuring || checkedRestructuring) {
    const t = validateTerms(effectiveTerms(content))
    if (t.ok) terms = t.value
    else termsErrors.push(prefixed('/terms', t.error))
  }

  const commitmentErrors: string[] = []
  const c = validateCommitments(content.commitments)
  if (!c.ok) commitmentErrors.push(prefixed('/commitments', c.error))
  else {
    const v = c.value
    if (v.lapseRestoresBaseline === true && !restructuring) {
      commitmentErrors.push('/commitments/lapseRestoresBaseline: needs a baseline to restore')
    }
    if (v.missedPaymentsBeforeLapse !== undefined && terms && v.missedPaymentsBeforeLapse > terms.termMonths) {
      commitmentErrors.push(`/commitments/missedPaymentsBeforeLapse: must be <= termMonths (${terms.termMonths})`)
    }
    const asOf = checkedRestructuring?.baseline.asOfDate
    if (v.firstDueDate !== undefined && asOf !== undefined && v.firstDueDate <= asOf) {
      commitmentErrors.push(`/commitments/firstDueDate: must be after the baseline asOfDate (${asOf})`)
    }
  }

  const errors = [...termsErrors, ...sideErrors, ...commitmentErrors]
  if (errors.length > 0 || !terms || !c.ok) return { ok: false, errors }
  return { ok: true, value: { terms, commitments: c.value, restructuring: checkedRestructuring }, errors: [] }
}

/** {ok, errors}: can this content be confirmed? When not, its hash carries `computed: null`. */
export function validateContent(content: RoomContent): ContentValidation {
  const r = checkContent(content)
  return { ok: r.ok, errors: r.errors }
}
