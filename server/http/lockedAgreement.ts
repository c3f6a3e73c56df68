// The preamble of every route that serves what a lock produced: a caller of the room, and its signed agreement.
import type { Request, Response } from 'express'
import type { Agreement } from '../../shared/agreement/agreement.ts'
import { sendError } from './errors.ts'
import { inRoom, roomCaller, type RouteContext } from './routeContext.ts'

export interface Signed {
  agreement: Agreement
  hash: string
}

/**
 * The room's agreement; undefined once the request is answered (refused, no room, or `not_locked` with
 * `notLockedStatus`: 404 for the agreement itself, which does not exist yet, 409 for exports of it).
 */
export async function lockedAgreement(
  o: Pick<RouteContext, 'registry' | 'auth'>,
  req: Request,
  res: Response,
  id: string,
  notLockedStatus: 404 | 409,
): Promise<Signed | undefined> {
  if (!(await roomCaller(o.auth, req, res, id))) return undefined
  const found = await inRoom(o.registry, res, id, (room): Signed | 'not_locked' => {
    if (room.phase !== 'locked' || !room.agreement || !room.agreementHash) return 'not_locked'
    return { agreement: room.agreement, hash: room.agreementHash }
  })
  if (found === 'not_locked') {
    sendError(res, 'not_locked', 'the room is not locked yet: there is no agreement', notLockedStatus)
    return undefined
  }
  return found ?? undefined
}
