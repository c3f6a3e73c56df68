// The parties' satisfaction with the session: one 'rating' event per party, kept by the room and summarised
// for the room's GET and the operator's list.
import { refuse } from '../../shared/protocol/errors.ts'
import type { RatingSummary } from '../../shared/protocol/http.ts'
import { actorOf, type Actor } from '../../shared/protocol/room.ts'
import type { Ack, Rating, RatingPayload, RatingResult } from '../../shared/protocol/socket.ts'
import type { StoredEvent } from '../store/Store.ts'
import { guard } from './guard.ts'
import type { Room } from './Room.ts'

export class Ratings {
  /** One per party at most, in the order given. */
  readonly list: Rating[] = []
  /** Parties whose rating is being written (a second submit must not race the first). */
  private readonly writing = new Set<string>()

  constructor(private readonly room: Room) {}

  /** The ratings among the events the room loads. */
  restore(events: readonly StoredEvent[]): void {
    this.list.push(...ratingsOf(events))
  }

  /** Another process's committed rating. */
  absorb(e: StoredEvent): void {
    const rating = toRating(e)
    if (rating && !this.list.some((r) => r.role === rating.role)) this.list.push(rating)
  }

  /** A party rates the session once (1..5 stars, an optional comment); observers do not. */
  rate(actor: Actor, input: RatingPayload): Promise<Ack<RatingResult>> {
    const room = this.room
    const refused = guard(room, actor, { party: 'only the borrower and the lender rate the session' })
    if (refused) return Promise.resolve(refused)
    const role = actor.role
    if (this.writing.has(role) || this.list.some((r) => r.role === role)) {
      return Promise.resolve(refuse('already_rated', 'you have rated this session already'))
    }
    this.writing.add(role)
    const payload = { stars: input.stars, comment: (input.comment ?? '').trim() }
    return room.write([{ actor: actorOf(actor), type: 'rating', payload }]).then(
      ([r]): Ack<RatingResult> => {
        this.writing.delete(role)
        const rating = toRating(r!.event)!
        this.list.push(rating)
        room.publishLine(r!.event)
        room.publishState()
        return { ok: true, rating }
      },
      () => {
        this.writing.delete(role)
        return refuse('storage_failure', 'the rating could not be stored; send it again')
      },
    )
  }
}

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
