// /api/rooms: create a room with its three invites (operator, or an organisation's staff or API key),
// list rooms (operator: all; staff and keys: their organisation's, as server/org/roomAccess.ts says),
// read one room's state (any token of that room, the operator, or staff who see the room).
import { Router } from 'express'
import type { Role, ScalarMap } from '../../shared/document/roomDoc.ts'
import type { CreateRoomResponse, RoomInfo, RoomList } from '../../shared/protocol/http.ts'
import type { ObserverLabel } from '../../shared/protocol/room.ts'
import { validateCreateRoom } from '../../shared/content/createRoom.ts'
import { createRoom } from '../room/createRoom.ts'
import { LABEL_NAMES } from '../room/observers.ts'
import { identityOf } from '../room/Presence.ts'
import { ratingsOf, ratingSummary } from '../room/Ratings.ts'
import type { InviteRecord } from '../store/Store.ts'
import { sendError } from './errors.ts'
import { baseUrl, issueInvites } from './invites.ts'
import { inRoom, operatorCaller, roomCaller, type InviteRouteContext } from './routeContext.ts'
import { canCreateRooms } from '../org/staffRoles.ts'
import { seesRoom } from '../org/roomAccess.ts'
import type { Room } from '../room/Room.ts'
import { actingAs, answered, type Acting, type PrincipalResolver } from './principals.ts'
import type { Request, Response } from 'express'

const DEFAULT_NAMES: Record<Role, string> = { borrower: 'Borrower', lender: 'Lender', observer: 'Observer' }

/** A validated part of the request as the plain scalar map the document holds. */
function asMap(x: object): ScalarMap {
  return x as ScalarMap
}

export interface RoomsRouteContext extends InviteRouteContext {
  principals: PrincipalResolver
}

/**
 * The caller of /api/rooms: the operator (null acting: every room, as before), or a staff member or API key
 * acting for its organisation. Room tokens and missing credentials are refused as before.
 */
async function listCaller(o: RoomsRouteContext, req: Request, res: Response): Promise<{ acting: Acting | null } | null> {
  const org = await o.principals.orgCaller(req)
  if (org === null) return (await operatorCaller(o.auth, req, res)) ? { acting: null } : null
  const who = answered(res, org)
  return who ? { acting: actingAs(who) } : null
}

function roomInfo(room: Room, you: RoomInfo['you'], withRatings: boolean): RoomInfo {
  const state = room.state
  const rec = room.record
  const observer = rec.meta.invites.find((i) => i.role === 'observer')
  return {
    roomId: room.id,
    title: rec.title,
    currency: rec.currency,
    phase: state.phase,
    currentHash: state.currentHash,
    participants: state.participants,
    confirmations: state.confirmations,
    ...(state.agreementHash ? { agreementHash: state.agreementHash } : {}),
    ...(rec.meta.original ? { original: rec.meta.original } : {}),
    names: Object.fromEntries(rec.meta.invites.map((i) => [i.role, i.name])) as Record<Role, string>,
    ...(observer?.label ? { observerLabel: observer.label } : {}),
    ...(rec.meta.lenderInstitution ? { lenderInstitution: rec.meta.lenderInstitution } : {}),
    createdAt: rec.createdAt,
    lastActivity: room.lastActivity,
    ...(state.lockedAt !== undefined ? { lockedAt: state.lockedAt } : {}),
    ...(rec.meta.amendmentOf ? { amendmentOf: rec.meta.amendmentOf } : {}),
    ...(room.amendments.length > 0 ? { amendments: [...room.amendments] } : {}),
    disclosureRules: room.disclosureRules,
    rating: ratingSummary(room.ratings),
    ratedBy: room.ratings.map((r) => r.role),
    ...(withRatings ? { ratings: room.ratings.map((r) => ({ ...r })) } : {}),
    ...(rec.meta.orgId ? { orgId: rec.meta.orgId } : {}),
    ...(rec.meta.createdBy ? { createdBy: { ...rec.meta.createdBy } } : {}),
    you,
  }
}

export function roomsRouter(o: RoomsRouteContext): Router {
  const router = Router()

  router.post('/api/rooms', async (req, res) => {
    const caller = await listCaller(o, req, res)
    if (!caller) return
    const acting = caller.acting
    if (acting && !canCreateRooms(acting.roles)) return sendError(res, 'forbidden', 'only agents, supervisors and admins open rooms')
    if (req.body === undefined) return sendError(res, 'invalid_payload', '/: expected a JSON body (Content-Type: application/json)')
    const checked = validateCreateRoom(req.body)
    if (!checked.ok) return sendError(res, 'invalid_payload', checked.error)
    const body = checked.value
    const label: ObserverLabel = body.observerLabel ?? 'other'
    const invites: InviteRecord[] = [
      { role: 'borrower', name: body.names?.borrower?.trim() || DEFAULT_NAMES.borrower },
      // A staff member opening a room takes the lender's seat under their own name unless another is given.
      { role: 'lender', name: body.names?.lender?.trim() || (acting?.kind === 'staff' ? acting.name : DEFAULT_NAMES.lender) },
      { role: 'observer', name: body.names?.observer?.trim() || LABEL_NAMES[label], label },
    ]
    const record = await createRoom(o.store, {
      title: body.title.trim(),
      currency: body.currency,
      terms: body.terms,
      ...(body.original ? { original: body.original } : {}),
      invites,
      ...(body.lenderInstitution ? { lenderInstitution: body.lenderInstitution.trim() } : acting ? { lenderInstitution: acting.orgName } : {}),
      ...(acting ? { org: { orgId: acting.orgId, createdBy: { kind: acting.kind, id: acting.id, name: acting.name } } } : {}),
      // Restructuring a loan in trouble: the debt, waivers and commitments start in the document beside the terms.
      prefill: {
        ...(body.baseline ? { baseline: asMap(body.baseline) } : {}),
        ...(body.waivers ? { waivers: asMap(body.waivers) } : {}),
        ...(body.commitments ? { commitments: asMap(body.commitments) } : {}),
      },
    })
    const out = await issueInvites(o.tokens, record.id, invites, baseUrl(req, o.publicUrl))
    o.log.info({ roomId: record.id, ...(acting ? { orgId: acting.orgId, by: acting.id } : {}) }, 'room created')
    const response: CreateRoomResponse = { roomId: record.id, invites: out }
    res.status(201).json(response)
  })

  router.get('/api/rooms', async (req, res) => {
    const caller = await listCaller(o, req, res)
    if (!caller) return
    const acting = caller.acting
    // The whole list filtered here: fine for an organisation's thousands, a store query by orgId is the next step.
    const rooms = (await o.store.listRooms()).filter((r) => !acting || seesRoom(acting, r.meta))
    const list: RoomList = {
      rooms: await Promise.all(
        rooms.map(async (r) => {
          const loaded = o.registry.loaded(r.id)
          const ratings = loaded ? loaded.ratings : ratingsOf(await o.store.readEventsOfType(r.id, 'rating'))
          return {
            roomId: r.id,
            title: r.title,
            currency: r.currency,
            phase: loaded?.phase ?? r.phase,
            createdAt: r.createdAt,
            lastActivity: r.lastActivity,
            rating: ratingSummary(ratings),
            ...(r.meta.amendmentOf ? { amendmentOf: r.meta.amendmentOf } : {}),
            ...(r.meta.orgId ? { orgId: r.meta.orgId } : {}),
            ...(r.meta.createdBy ? { createdBy: { ...r.meta.createdBy } } : {}),
          }
        }),
      ),
    }
    res.json(list)
  })

  router.get('/api/rooms/:id', async (req, res) => {
    const id = req.params.id
    const org = await o.principals.orgCaller(req)
    if (org !== null) {
      const who = answered(res, org)
      if (!who) return
      const acting = actingAs(who)
      const rec = await o.store.getRoom(id)
      if (!rec) return sendError(res, 'not_found', 'no such room')
      if (!seesRoom(acting, rec.meta)) return sendError(res, 'forbidden', 'this room is not one you may see')
      const info = await inRoom(o.registry, res, id, (room) => roomInfo(room, { role: 'staff', name: acting.name }, true))
      if (info) res.json(info)
      return
    }
    const who = await roomCaller(o.auth, req, res, id)
    if (!who) return
    const info = await inRoom(o.registry, res, id, (room) =>
      roomInfo(
        room,
        who.kind === 'operator'
          ? { role: 'operator', name: 'operator' }
          : identityOf(who.token),
        who.kind === 'operator',
      ),
    )
    if (info) res.json(info)
  })

  return router
}
