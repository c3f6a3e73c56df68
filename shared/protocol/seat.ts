// POST /api/rooms/:id/seat: a signed-in staff member takes a seat in one of the organisation's rooms.

/** The seats staff take: the lender's, or (supervisors) an observer's. Borrowers join by invite link only. */
export type SeatRole = 'lender' | 'observer'
export const SEAT_ROLES: readonly SeatRole[] = ['lender', 'observer']

export interface SeatRequest {
  /** Default 'lender'. */
  role?: SeatRole
}

export interface SeatResponse {
  role: SeatRole
  /** A room token bound to the staff member (their id, name and organisation ride in it). */
  token: string
  /** Opens the room in the browser; the token is in the fragment, as in an invite link. */
  url: string
  /** ms since epoch: the seat token expires then; take the seat again for a new one. */
  expiresAt: number
}
