// /api/rooms: create a room with its three invites (operator), list rooms (operator, the lobby),
// read one room's state (any token of that room, or the operator).
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

const DEFAULT_NAMES: Record<Role, string> = { borrower: 'Borrower', lender: 'Lender', observer: 'Observer' }

/** A validated part of the request as the plain scalar map the document holds. */
function asMap(x: object): ScalarMap {
  return x as ScalarMap
}

export function roomsRouter(o: InviteRouteContext): Router {
  const router = Router()

  router.post('/api/rooms', async (req, res) => {
    if (!(await operatorCaller(o.auth, req, res))) return
    if (req.body === undefined) return sendError(res, 'invalid_payload', '/: expected a JSON body (Content-Type: application/json)')
    const checked = validateCreateRoom(req.body)
    if (!checked.ok) return sendError(res, 'invalid_payload', checked.error)
    const body = checked.value
    const label: ObserverLabel = body.observerLabel ?? 'other'
    const invites: InviteRecord[] = [
      { role: 'borrower', name: body.names?.borrower?.trim() || DEFAULT_NAMES.borrower },
      { role: 'lender', name: body.names?.lender?.trim() || DEFAULT_NAMES.lender },
      { role: 'observer', name: body.names?.observer?.trim() || LABEL_NAMES[label], label },
    ]
    const record = await createRoom(o.store, {
      title: body.title.trim(),
      currency: body.currency,
      terms: body.terms,
      ...(body.original ? { original: body.original } : {}),
      invites,
      ...(body.lenderInstitution ? { lenderInstitution: body.lenderInstitution.trim() } : {}),
      // Restructuring a loan in trouble: the debt, waivers and commitments start in the document beside the terms.
      prefill: {
        ...(body.baseline ? { baseline: asMap(body.baseline) } : {}),
        ...(body.waivers ? { waivers: asMap(body.waivers) } : {}),
        ...(body.commitments ? { commitments: asMap(body.commitments) } : {}),
      },
    })
    const out = await issueInvites(o.tokens, record.id, invites, baseUrl(req, o.publicUrl))
    o.log.info({ roomId: record.id }, 'room created')
    const response: CreateRoomResponse = { roomId: record.id, invites: out }
    res.status(201).json(response)
  })

  router.get('/api/rooms', async (req, res) => {
    if (!(await operatorCaller(o.auth, req, res))) return
    const rooms = await o.store.listRooms()
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
          }
        }),
      ),
    }
    res.json(list)
  })

  router.get('/api/rooms/:id', async (req, res) => {
    const id = req.params.id
    const who = await roomCaller(o.auth, req, res, id)
    if (!who) return
    const info = await inRoom(o.registry, res, id, (room): RoomInfo => {
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
        rating: ratingSummary(room.ratings),
        ratedBy: room.ratings.map((r) => r.role),
        ...(who.kind === 'operator' ? { ratings: room.ratings.map((r) => ({ ...r })) } : {}),
        you:
          who.kind === 'operator'
            ? { role: 'operator', name: 'operator' }
            : identityOf(who.token),
      }
    })
    if (info) res.json(info)
  })

  return router
}
