// Both sides' views of a room's content, once it checks: the comparison every restructuring room shows.
import type { RoomContent } from '../document/roomDoc.ts'
import { restructuringComparison, type RestructuringComparison } from '../restructuring/recovery.ts'
import { checkContent } from './validateContent.ts'

/** Both sides' views of a room's content; null outside a restructuring room or while the content is not valid. */
export function comparisonOf(content: RoomContent): RestructuringComparison | null {
  const checked = checkContent(content)
  if (!checked.ok || !checked.value.restructuring) return null
  const { baseline, breakdown } = checked.value.restructuring
  return restructuringComparison({ baseline, breakdown, terms: checked.value.terms, profile: content.profile })
}
