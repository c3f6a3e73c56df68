// POST /api/rooms/:id/invites/revoke (operator): the invite links of some roles (all three by default)
// stop working at once — every open connection holding one is closed, and they are refused at the next
// connect and over HTTP — and fresh links for those roles are answered, so the room goes on.
import { Router } from 'express'
import type { Role } from '../../shared/document/roomDoc.ts'
import type { RevokeInvitesResponse } from '../../shared/protocol/http.ts'
import { INVITE_ROLES, validateRevokeInvites } from '../../shared/schema/revokeInvites.schema.ts'
import type { TokenWatch } from '../auth/TokenWatch.ts'
import { OPERATOR_ACTOR } from '../room/createRoom.ts'
import { sendError } from './errors.ts'
import { baseUrl, issueInvites } from './invites.ts'
import { operatorCaller, type InviteRouteContext } from './routeContext.ts'

export interface InviteRevocationRouterOptions extends InviteRouteContext {
  watch: TokenWatch
}

export function inviteRevocationRouter(o: InviteRevocationRouterOptions): Router {
  const router = Router()

  router.post('/api/rooms/:id/invites/revoke', async (req, res) => {
    const id = req.params.id
    if (!(await operatorCaller(o.auth, req, res))) return
    const checked = validateRevokeInvites(req.body ?? {})
    if (!checked.ok) return sendError(res, 'invalid_payload', checked.error)
    const roles: Role[] = checked.value.roles ?? [...INVITE_ROLES]
    // The record every token check reads: from here on no process lets an old link in.
    const generations = await o.store.revokeInvites(id, roles)
    if (!generations) return sendError(res, 'not_found', 'no such room')
    const closed = o.watch.revoked(id, generations)
    // The room's log keeps the record, and its line closes the old links' connections on the other processes too.
    const logged = await o.registry.withRoom(id, (room) => room.recordRevocation(OPERATOR_ACTOR, { roles, generations })).then(
      () => true,
      (err: unknown) => {
        o.log.error({ roomId: id, err }, 'invite revocation could not be logged')
        return false
      },
    )
    if (!logged) return sendError(res, 'storage_failure', 'the old links are refused from now on, but the room could not log it; revoke again')
    const record = await o.store.getRoom(id)
    const invites = await issueInvites(
      o.tokens,
      id,
      (record?.meta.invites ?? []).filter((i) => roles.includes(i.role)),
      baseUrl(req, o.publicUrl),
      generations,
    )
    o.log.info({ roomId: id, roles, closed }, 'invites revoked')
    const body: RevokeInvitesResponse = { roomId: id, revoked: roles, invites }
    res.json(body)
  })

  return router
}
