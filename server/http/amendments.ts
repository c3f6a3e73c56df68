// POST /api/rooms/:id/amend (the borrower's or the lender's token, or the operator): opens a room that amends the
// locked room's agreement and answers its three invites, like POST /api/rooms.
import { Router } from 'express'
import { tokenActor } from '../auth/tokens.ts'
import type { AmendResponse } from '../../shared/protocol/http.ts'
import { isRefusal } from '../../shared/protocol/errors.ts'
import type { Actor } from '../../shared/protocol/room.ts'
import { OPERATOR_ACTOR } from '../room/createRoom.ts'
import { openAmendment } from '../room/openAmendment.ts'
import { sendError } from './errors.ts'
import { baseUrl, issueInvites } from './invites.ts'
import { inRoom, roomCaller, type InviteRouteContext } from './routeContext.ts'

export function amendmentsRouter(o: InviteRouteContext): Router {
  const router = Router()

  router.post('/api/rooms/:id/amend', async (req, res) => {
    const id = req.params.id
    const who = await roomCaller(o.auth, req, res, id)
    if (!who) return
    if (who.kind === 'participant' && who.token.role === 'observer') return sendError(res, 'forbidden', 'only the borrower and the lender open an amendment')
    const actor: Actor = who.kind === 'operator' ? OPERATOR_ACTOR : tokenActor(who.token)
    const result = await inRoom(o.registry, res, id, (room) => openAmendment(room, actor, o.store, o.registry))
    if (result === null) return
    if (isRefusal(result)) return sendError(res, result.error, result.message, result.error === 'not_locked' ? 409 : undefined)
    // An amendment room still being negotiated may have had its invites revoked: fresh links carry its generations.
    const generations = result.existing ? await o.store.inviteGenerations(result.roomId) : undefined
    const invites = await issueInvites(o.tokens, result.roomId, result.invites, baseUrl(req, o.publicUrl), generations)
    if (!result.existing) o.log.info({ roomId: result.roomId, amendmentOf: id }, 'amendment room created')
    const body: AmendResponse = { roomId: result.roomId, invites, amendmentOf: id, existing: result.existing }
    res.status(result.existing ? 200 : 201).json(body)
  })

  return router
}
