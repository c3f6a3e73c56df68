// Who is calling, whatever they present: the operator key, an organisation's API key (`nrk_…`), a room
// token (all as `Authorization: Bearer …`), or a staff member's session cookie. A bearer credential wins
// over a cookie and needs no CSRF token (a page of another site cannot set the header); a request that
// changes state on the strength of the cookie alone must carry the session's X-CSRF-Token.
import type { Request, Response } from 'express'
import { isRefusal, refuse } from '../../shared/protocol/errors.ts'
import { bearer, type VerifiedToken } from '../auth/tokens.ts'
import type { OrgAccounts, ResolvedApiKey, StaffSession } from '../org/OrgAccounts.ts'
import type { RoomViewer } from '../org/roomAccess.ts'
import { API_KEY_PREFIX } from '../org/apiKeys.ts'
import { CSRF_HEADER, SESSION_COOKIE, changesState, csrfMatches } from '../org/sessionTokens.ts'
import type { Authenticator, TimedRefusal } from './authenticate.ts'
import { sendRefusal } from './errors.ts'
import { cookieValue } from '../auth/cookieValue.ts'

export type Caller =
  | { kind: 'operator' }
  | ({ kind: 'staff' } & StaffSession)
  | ({ kind: 'apiKey' } & ResolvedApiKey)
  | { kind: 'roomToken'; token: VerifiedToken }
  | { kind: 'none' }

/** A caller who acts for one organisation. */
export type OrgCaller = Extract<Caller, { kind: 'staff' | 'apiKey' }>


export class PrincipalResolver {
  constructor(
    private readonly auth: Authenticator,
    readonly accounts: OrgAccounts,
  ) {}

  async resolve(req: Request): Promise<Caller | TimedRefusal> {
    const presented = bearer(req.get('authorization'))
    if (presented !== undefined) {
      if (presented.startsWith(API_KEY_PREFIX)) {
        const key = await this.accounts.resolveApiKey(presented)
        return isRefusal(key) ? key : { kind: 'apiKey', ...key }
      }
      const who = await this.auth.anyBearer(presented)
      if (isRefusal(who)) return who
      return who.kind === 'operator' ? who : { kind: 'roomToken', token: who.token }
    }
    const cookie = cookieValue(req.get('cookie'), SESSION_COOKIE)
    if (cookie === undefined) return { kind: 'none' }
    const session = await this.accounts.resolveSession(cookie)
    if (!session) return refuse('unauthorized', 'the session has ended or is not valid; sign in again')
    if (changesState(req.method) && !csrfMatches(req.get(CSRF_HEADER), session.session.csrfToken)) {
      return refuse('csrf_failed', 'this request needs the X-CSRF-Token header of the session')
    }
    return { kind: 'staff', ...session }
  }

  /**
   * A staff member or API key, when the request carries such a credential; null when it carries another
   * (operator key, room token) or none, for routes that keep their own handling of those.
   */
  async orgCaller(req: Request): Promise<OrgCaller | TimedRefusal | null> {
    const presented = bearer(req.get('authorization'))
    const org = presented !== undefined ? presented.startsWith(API_KEY_PREFIX) : cookieValue(req.get('cookie'), SESSION_COOKIE) !== undefined
    if (!org) return null
    const who = await this.resolve(req)
    if (isRefusal(who)) return who
    return who.kind === 'staff' || who.kind === 'apiKey' ? who : null
  }
}

/** Answers the refusal and returns null, or returns the caller. */
export function answered<T extends object>(res: Response, who: T | TimedRefusal): T | null {
  if (!isRefusal(who)) return who
  sendRefusal(res, who)
  return null
}

/** The organisation, id, name and roles a staff member or API key acts with. */
export interface Acting extends RoomViewer {
  kind: 'staff' | 'apiKey'
  name: string
  orgName: string
}

export function actingAs(who: OrgCaller): Acting {
  return who.kind === 'staff'
    ? { kind: 'staff', orgId: who.org.id, orgName: who.org.name, id: who.staff.id, name: who.staff.name, roles: who.staff.roles }
    : { kind: 'apiKey', orgId: who.org.id, orgName: who.org.name, id: who.key.id, name: who.key.name, roles: who.key.roles }
}
