// The preamble of the room routes: who calls, and the room they call about. Each helper answers its own
// refusal (401/403 with Retry-After when timed, 404 no such room) and returns null, so a route reads
// `if (!who) return` and goes on with what it needs.
import type { Request, Response } from 'express'
import type { Tokens } from '../auth/tokens.ts'
import type { Logger } from '../log.ts'
import type { Room } from '../room/Room.ts'
import type { RoomRegistry } from '../room/RoomRegistry.ts'
import type { Store } from '../store/Store.ts'
import { isRefused, type Authenticator, type Principal } from './authenticate.ts'
import { sendError, sendRefusal } from './errors.ts'

/** What the routes are built with (server/app.ts); each takes the part it uses. */
export interface RouteContext {
  store: Store
  registry: RoomRegistry
  auth: Authenticator
  log: Logger
}

/** Routes that answer invite links. */
export interface InviteRouteContext extends RouteContext {
  tokens: Tokens
  publicUrl?: string
}

/** A room endpoint's caller: a token of this room, or the operator. */
export async function roomCaller(auth: Authenticator, req: Request, res: Response, roomId: string): Promise<Principal | null> {
  return answered(res, await auth.room(req, roomId))
}

/** An operator endpoint's caller: a room token is not enough. */
export async function operatorCaller(auth: Authenticator, req: Request, res: Response): Promise<Principal | null> {
  return answered(res, await auth.operator(req))
}

/** Runs fn with the room loaded (RoomRegistry.withRoom); null once 404 is answered for an unknown room. fn must not answer null. */
export async function inRoom<T extends {}>(
  registry: RoomRegistry,
  res: Response,
  roomId: string,
  fn: (room: Room) => T | Promise<T>,
): Promise<T | null> {
  const result = await registry.withRoom(roomId, fn)
  if (result === null) sendError(res, 'not_found', 'no such room')
  return result
}

function answered(res: Response, who: Awaited<ReturnType<Authenticator['room']>>): Principal | null {
  if (!isRefused(who)) return who
  sendRefusal(res, who)
  return null
}
