// /api/rooms/:id/observers: a room's observer invites, each with a label and a side. The operator adds and revokes
// any; a party adds and revokes observers on its own side (its advisor, its counsel); an observer does neither.
// Revoking one observer closes that observer's connections at once, here and (through the room's log) on every
// other process, and its link is refused from then on; the other observers stay.
import { Router, type Request, type Response } from 'express'
import type { AddObserverResponse, ObserverListResponse } from '../../shared/protocol/http.ts'
import type { Actor, ObserverInfo } from '../../shared/protocol/room.ts'
import { validateAddObserver } from '../../shared/schema/addObserver.schema.ts'
import type { TokenWatch } from '../auth/TokenWatch.ts'
import { OPERATOR_ACTOR } from '../room/createRoom.ts'
import {
  LABEL_NAMES,
  distinctName,
  mayAddObserver,
  mayRevokeObserver,
  newObserverId,
  observerFromPayload,
  observersOf,
  type ObserverCaller,
} from '../room/observers.ts'
import type { Principal } from './authenticate.ts'
import { sendError, sendRefusal } from './errors.ts'
import { baseUrl } from './invites.ts'
import { roomCaller, type InviteRouteContext } from './routeContext.ts'

export interface ObserversRouterOptions extends InviteRouteContext {
  watch: TokenWatch
}

const OBSERVER_EVENTS = ['observer_added', 'observer_revoked'] as const

function callerOf(who: Principal): { caller: ObserverCaller; actor: Actor } {
  return who.kind === 'operator'
    ? { caller: 'operator', actor: OPERATOR_ACTOR }
    : { caller: who.token.role, actor: { role: who.token.role, name: who.token.name } }
}

export function observersRouter(o: ObserversRouterOptions): Router {
  const router = Router()

  /** The room's observers not revoked, and every name its invites ever had; null once 404 is answered. */
  async function current(res: Response, roomId: string): Promise<{ observers: ObserverInfo[]; names: string[] } | null> {
    const record = await o.store.getRoom(roomId)
    if (!record) {
      sendError(res, 'not_found', 'no such room')
      return null
    }
    const events = (await Promise.all(OBSERVER_EVENTS.map((t) => o.store.readEventsOfType(roomId, t)))).flat()
    const added = events.filter((e) => e.type === 'observer_added').map((e) => observerFromPayload(e.payload)?.name)
    const names = [...record.meta.invites.map((i) => i.name), ...added.filter((n): n is string => n !== undefined)]
    return { observers: observersOf(record.meta.invites, events, record.createdAt), names }
  }

  async function logged(req: Request, res: Response, fn: () => Promise<unknown>): Promise<boolean> {
    const ok = await fn().then(
      (r) => r !== null,
      (err: unknown) => {
        o.log.error({ roomId: req.params.id, err }, 'observer change could not be logged')
        return false
      },
    )
    if (!ok) sendError(res, 'storage_failure', 'the room could not record the change; try again')
    return ok
  }

  router.get('/api/rooms/:id/observers', async (req, res) => {
    if (!(await roomCaller(o.auth, req, res, req.params.id))) return
    const known = await current(res, req.params.id)
    if (!known) return
    const body: ObserverListResponse = { observers: known.observers }
    res.json(body)
  })

  router.post('/api/rooms/:id/observers', async (req, res) => {
    const id = req.params.id
    const who = await roomCaller(o.auth, req, res, id)
    if (!who) return
    const checked = validateAddObserver(req.body ?? {})
    if (!checked.ok) return sendError(res, 'invalid_payload', checked.error)
    const { label, side } = checked.value
    const { caller, actor } = callerOf(who)
    const refused = mayAddObserver(caller, side)
    if (refused) return sendRefusal(res, refused)
    const record = await o.store.getRoom(id)
    if (!record) return sendError(res, 'not_found', 'no such room')
    if (record.phase === 'locked') return sendError(res, 'locked', 'the room is locked: observers are added while it is open')
    const known = await current(res, id)
    if (!known) return
    const observer: ObserverInfo = {
      id: newObserverId(),
      label,
      side,
      name: distinctName(checked.value.name?.trim() || LABEL_NAMES[label], known.names),
      addedBy: caller,
      addedAt: Date.now(),
    }
    const payload = { ...observer }
    if (!(await logged(req, res, () => o.registry.withRoom(id, (room) => room.recordObserver(actor, 'observer_added', payload).then(() => true))))) return
    // A link issued after the operator revoked the observers' links carries that generation, or it would be refused.
    const generation = (await o.store.inviteGenerations(id)).observer
    const { token } = await o.tokens.issue({
      room: id,
      role: 'observer',
      name: observer.name,
      label,
      observerId: observer.id,
      side,
      ...(generation ? { generation } : {}),
    })
    o.log.info({ roomId: id, observerId: observer.id, label, side, by: caller }, 'observer added')
    const body: AddObserverResponse = { observer, invite: { token, url: `${baseUrl(req, o.publicUrl)}/room/${id}#token=${token}` } }
    res.status(201).json(body)
  })

  router.delete('/api/rooms/:id/observers/:observerId', async (req, res) => {
    const { id, observerId } = req.params
    const who = await roomCaller(o.auth, req, res, id)
    if (!who) return
    const known = await current(res, id)
    if (!known) return
    const observer = known.observers.find((x) => x.id === observerId)
    if (!observer) return sendError(res, 'not_found', 'no such observer (or it was revoked already)')
    const { caller, actor } = callerOf(who)
    const refused = mayRevokeObserver(caller, observer)
    if (refused) return sendRefusal(res, refused)
    // The log is the record every token check reads: once it is written no process lets the link in.
    const payload = { observerId, label: observer.label, side: observer.side, name: observer.name }
    if (!(await logged(req, res, () => o.registry.withRoom(id, (room) => room.recordObserver(actor, 'observer_revoked', payload).then(() => true))))) return
    const closed = o.watch.observerRevoked(id, observerId)
    o.log.info({ roomId: id, observerId, closed, by: caller }, 'observer revoked')
    res.json({ roomId: id, revoked: observerId })
  })

  return router
}
