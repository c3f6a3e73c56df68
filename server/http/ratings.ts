// POST /api/rooms/:id/rating {stars, comment?}: the same as socket.io `rating:submit`, for a client without a socket.
import { Router } from 'express'
import { tokenActor } from '../auth/tokens.ts'
import { validateRating } from '../../shared/schema/protocol.schema.ts'
import { sendError, sendRefusal } from './errors.ts'
import { inRoom, roomCaller, type RouteContext } from './routeContext.ts'

export function ratingsRouter(o: Pick<RouteContext, 'registry' | 'auth'>): Router {
  const router = Router()

  router.post('/api/rooms/:id/rating', async (req, res) => {
    const id = req.params.id
    const who = await roomCaller(o.auth, req, res, id)
    if (!who) return
    if (who.kind !== 'participant') return sendError(res, 'forbidden', 'only the borrower and the lender rate the session')
    const checked = validateRating(req.body ?? {})
    if (!checked.ok) return sendError(res, 'invalid_payload', checked.error)
    const ack = await inRoom(o.registry, res, id, (room) => room.rate(tokenActor(who.token), checked.value))
    if (ack === null) return
    if (!ack.ok) return sendRefusal(res, ack)
    res.status(201).json(ack)
  })

  return router
}
