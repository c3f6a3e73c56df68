// The parties' satisfaction with the session: one 'rating' event per party, summarised for the
// room's GET and the operator's list.
import type { RatingSummary } from '../../shared/protocol/http.ts'
import type { Rating } from '../../shared/protocol/socket.ts'
import type { StoredEvent } from '../store/Store.ts'

export function toRating(e: StoredEvent): Rating | null {
  const role = e.actor.role
  if ((role !== 'borrower' && role !== 'lender') || e.payload instanceof Uint8Array) return null
  const stars = e.payload.stars
  if (typeof stars !== 'number' || !Number.isInteger(stars) || stars < 1 || stars > 5) return null
  const comment = typeof e.payload.comment === 'string' ? e.payload.comment : ''
  return { role, name: e.actor.name, stars, comment, ts: e.ts }
}

/** The first rating of each party counts (the room refuses a second one; this keeps a replayed log honest too). */
export function ratingsOf(events: readonly StoredEvent[]): Rating[] {
  const out: Rating[] = []
  for (const e of [...events].sort((a, b) => a.seq - b.seq)) {
    const r = e.type === 'rating' ? toRating(e) : null
    if (r && !out.some((x) => x.role === r.role)) out.push(r)
  }
  return out
}

/** Average stars to one decimal (null before any rating) and how many rated. */
export function ratingSummary(ratings: readonly Rating[]): RatingSummary {
  if (ratings.length === 0) return { average: null, count: 0 }
  const sum = ratings.reduce((s, r) => s + r.stars, 0)
  return { average: Math.round((sum / ratings.length) * 10) / 10, count: ratings.length }
}
