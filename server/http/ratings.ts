// POST /api/rooms/:id/rating {stars, comment?}: the same as socket.io `rating:submit`, for a client without a socket.
import { Router } from 'express'
import { validateRating } from '../../shared/schema/protocol.schema.ts'
import type { RoomRegistry } from '../room/RoomRegistry.ts'
import { isRefused, type Authenticator } from './authenticate.ts'
import { sendError, sendRefusal } from './errors.ts'

export interface RatingsRouterOptions {
  registry: RoomRegistry
  auth: Authenticator
}

export function ratingsRouter(o: RatingsRouterOptions): Router {
  const router = Router()

  router.post('/api/rooms/:id/rating', async (req, res) => {
    const id = req.params.id
    const who = await o.auth.room(req, id)
    if (isRefused(who)) return sendRefusal(res, who)
    if (who.kind !== 'participant') return sendError(res, 'forbidden', 'only the borrower and the lender rate the session')
    const checked = validateRating(req.body ?? {})
    if (!checked.ok) return sendError(res, 'invalid_payload', checked.error)
    const ack = await o.registry.withRoom(id, (room) => room.rate({ role: who.token.role, name: who.token.name }, checked.value))
    if (ack === null) return sendError(res, 'not_found', 'no such room')
    if (!ack.ok) return sendRefusal(res, ack)
    res.status(201).json(ack)
  })

  return router
}
