// POST /api/rooms/:id/seat: the lender's seat is a person. A signed-in staff member (session cookie with its
// CSRF header; an API key is no person and the operator key no member) gets a room token bound to them: the
// log then names them for every edit, chat line and confirmation, and the agreement names who confirmed.
import { Router } from 'express'
import type { SeatResponse } from '../../shared/protocol/seat.ts'
import { validateSeatRequest } from '../../shared/schema/seat.schema.ts'
import { takesSeat } from '../org/roomAccess.ts'
import { sendError } from './errors.ts'
import { baseUrl } from './invites.ts'
import { actingAs, answered, type PrincipalResolver } from './principals.ts'
import type { InviteRouteContext } from './routeContext.ts'

/** A working session: the open room closes its connections when the token expires (TokenWatch), then the seat is taken again. */
export const SEAT_TTL_MS = 8 * 60 * 60 * 1000

export interface SeatRouteContext extends InviteRouteContext {
  principals: PrincipalResolver
  seatTtlMs?: number
}

export function seatRouter(o: SeatRouteContext): Router {
  const router = Router()

  router.post('/api/rooms/:id/seat', async (req, res) => {
    const who = answered(res, await o.principals.resolve(req))
    if (!who) return
    if (who.kind === 'none') return sendError(res, 'unauthorized', 'sign in as a staff member to take a seat')
    if (who.kind !== 'staff') return sendError(res, 'forbidden', 'a seat is taken by a signed-in staff member, not by a key or an invite token')
    const checked = validateSeatRequest(req.body ?? {})
    if (!checked.ok) return sendError(res, 'invalid_payload', checked.error)
    const seat = checked.value.role ?? 'lender'
    const roomId = req.params.id
    const rec = await o.store.getRoom(roomId)
    if (!rec) return sendError(res, 'not_found', 'no such room')
    const acting = actingAs(who)
    if (!takesSeat(acting, rec.meta, seat)) {
      return sendError(res, 'forbidden', seat === 'lender' ? 'you may not take the lender’s seat in this room' : 'only supervisors observe a room from a seat')
    }
    // Issued at the role's current generation: a revocation of the lender's links does not lock staff out.
    const generation = (await o.store.inviteGenerations(roomId))[seat]
    const { token, expiresAt } = await o.tokens.issue(
      { room: roomId, role: seat, name: acting.name, ...(generation ? { generation } : {}), staffId: acting.id, orgId: acting.orgId, orgName: acting.orgName },
      o.seatTtlMs ?? SEAT_TTL_MS,
    )
    o.log.info({ roomId, orgId: acting.orgId, staffId: acting.id, seat }, 'seat taken')
    const body: SeatResponse = { role: seat, token, url: `${baseUrl(req, o.publicUrl)}/room/${roomId}#token=${token}`, expiresAt }
    res.json(body)
  })

  return router
}
