// Room tokens: HS256 JWTs carrying room, role, display name, observer label and expiry (and, for a staff
// member's seat, their staff id and organisation).
// A token opens exactly one room (DESIGN.md "Tokens").
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import { SignJWT, errors as joseErrors, jwtVerify } from 'jose'
import type { Role } from '../../shared/document/roomDoc.ts'
import { refuse, type Refusal } from '../../shared/protocol/errors.ts'
import { OBSERVER_LABELS, OBSERVER_SIDES, PRIMARY_OBSERVER_ID, type Actor, type ObserverLabel, type ObserverSide } from '../../shared/protocol/room.ts'

export interface TokenClaims {
  room: string
  role: Role
  name: string
  label?: ObserverLabel
  /** An observer's own invite (claim `obs`; absent: the room's first observer, PRIMARY_OBSERVER_ID). */
  observerId?: string
  /** An observer's side (claim `side`; absent: neutral). */
  side?: ObserverSide
  /** The role's invite generation when issued (claim `gen`, absent for 0); a revocation raises the room's. */
  generation?: number
  /** A seat token (POST /api/rooms/:id/seat): the staff member who holds it (claim `sid`); `name` is theirs. */
  staffId?: string
  /** Their organisation's id and name (claims `org`, `orgName`), present with staffId. */
  orgId?: string
  orgName?: string
}

export interface VerifiedToken extends TokenClaims {
  /** ms since epoch */
  expiresAt: number
  generation: number
}

/** The room's current invite generations (Store.inviteGenerations): a token below its role's is revoked. */
export type GenerationLookup = (roomId: string) => Promise<Readonly<Record<Role, number>>>

/** The ids of the room's revoked observers (server/room/observers.ts revokedObserverIds). */
export type RevokedObserversLookup = (roomId: string) => Promise<ReadonlySet<string>>

/** The observer a token is for: its own id, or the room's first observer for a token without one. */
export function observerIdOf(token: Pick<TokenClaims, 'role' | 'observerId'>): string | undefined {
  return token.role === 'observer' ? (token.observerId ?? PRIMARY_OBSERVER_ID) : undefined
}

export const REVOKED_MESSAGE = 'this invitation was replaced by a new link; ask the organiser for it'
export const REVOKED_OBSERVER_MESSAGE = 'this observer invitation was withdrawn; ask whoever invited you'
export const EXPIRED_MESSAGE = 'your invitation has expired; ask for a new link'

const ISSUER = 'negotiation-room'
const ROLES: readonly Role[] = ['borrower', 'lender', 'observer']

export class Tokens {
  private readonly key: Uint8Array

  constructor(
    secret: string,
    private readonly ttlMs: number,
    /** Without it no token is ever revoked (tests that only sign). */
    private readonly generations?: GenerationLookup,
    /** Without it no single observer is ever revoked. */
    private readonly revokedObservers?: RevokedObserversLookup,
  ) {
    // Any secret length works: HS256 wants 32 bytes of key material.
    this.key = createHash('sha256').update(secret).digest()
  }

  async issue(claims: TokenClaims, ttlMs = this.ttlMs): Promise<{ token: string; expiresAt: number }> {
    const expiresAt = Date.now() + ttlMs
    const payload: Record<string, unknown> = { room: claims.room, role: claims.role, name: claims.name }
    if (claims.label) payload.label = claims.label
    if (claims.observerId) payload.obs = claims.observerId
    if (claims.side && claims.side !== 'neutral') payload.side = claims.side
    if (claims.generation) payload.gen = claims.generation
    if (claims.staffId) Object.assign(payload, { sid: claims.staffId, org: claims.orgId, orgName: claims.orgName })
    const token = await new SignJWT(payload)
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuer(ISSUER)
      .setIssuedAt()
      .setJti(randomBytes(9).toString('base64url'))
      .setExpirationTime(Math.floor(expiresAt / 1000))
      .sign(this.key)
    return { token, expiresAt }
  }

  /** Checks signature, expiry, shape and revocation; the caller checks the room. A store failure throws (not "invalid"). */
  async verify(token: unknown): Promise<({ ok: true } & VerifiedToken) | Refusal> {
    const v = await this.verifySigned(token)
    if (!v.ok) return v
    if (this.generations && v.generation < (await this.generations(v.room))[v.role]) return refuse('revoked', REVOKED_MESSAGE)
    const observerId = observerIdOf(v)
    if (observerId && this.revokedObservers && (await this.revokedObservers(v.room)).has(observerId)) return refuse('revoked', REVOKED_OBSERVER_MESSAGE)
    return v
  }

  private async verifySigned(token: unknown): Promise<({ ok: true } & VerifiedToken) | Refusal> {
    if (typeof token !== 'string' || token.length === 0) return refuse('unauthorized', 'a room token is required')
    if (token.length > 4096) return refuse('unauthorized', 'token is malformed')
    try {
      const { payload } = await jwtVerify(token, this.key, { algorithms: ['HS256'], issuer: ISSUER })
      const { room, role, name, label, gen, sid, org, orgName, obs, side } = payload as Record<string, unknown>
      if (typeof room !== 'string' || typeof name !== 'string' || !ROLES.includes(role as Role)) {
        return refuse('unauthorized', 'token is malformed')
      }
      if (label !== undefined && !OBSERVER_LABELS.includes(label as ObserverLabel)) return refuse('unauthorized', 'token is malformed')
      if (obs !== undefined && !(typeof obs === 'string' && obs.length > 0 && obs.length <= 64)) return refuse('unauthorized', 'token is malformed')
      if (side !== undefined && !OBSERVER_SIDES.includes(side as ObserverSide)) return refuse('unauthorized', 'token is malformed')
      if (gen !== undefined && !(Number.isSafeInteger(gen) && (gen as number) > 0)) return refuse('unauthorized', 'token is malformed')
      const generation = (gen as number | undefined) ?? 0
      const staff = sid === undefined ? null : staffClaims(sid, org, orgName)
      if (staff === undefined) return refuse('unauthorized', 'token is malformed')
      return {
        ok: true,
        room,
        role: role as Role,
        name,
        ...(label ? { label: label as ObserverLabel } : {}),
        ...staff,
        ...(obs ? { observerId: obs as string } : {}),
        ...(side ? { side: side as ObserverSide } : {}),
        expiresAt: (payload.exp ?? 0) * 1000,
        generation,
      }
    } catch (err) {
      if (err instanceof joseErrors.JWTExpired) return refuse('unauthorized', 'token has expired')
      return refuse('unauthorized', 'token is invalid')
    }
  }

  /** Verify and require the token to be for `roomId`. */
  async verifyForRoom(token: unknown, roomId: string): Promise<({ ok: true } & VerifiedToken) | Refusal> {
    const v = await this.verify(token)
    if (!v.ok) return v
    if (v.room !== roomId) return refuse('forbidden', 'this token is for another room')
    return v
  }
}

/** The staff claims of a seat token, all three non-empty strings, or undefined when they are not. */
function staffClaims(sid: unknown, org: unknown, orgName: unknown): { staffId: string; orgId: string; orgName: string } | undefined {
  const ok = (x: unknown): x is string => typeof x === 'string' && x.length > 0 && x.length <= 200
  return ok(sid) && ok(org) && ok(orgName) ? { staffId: sid, orgId: org, orgName } : undefined
}

/** Who a connection acts as in the log: a seat token adds the staff member's id and organisation. */
export function tokenActor(token: TokenClaims): Actor {
  return { role: token.role, name: token.name, ...(token.staffId && token.orgId ? { staffId: token.staffId, orgId: token.orgId } : {}) }
}

/** Constant-time comparison of a presented operator key. */
export function isOperatorKey(presented: string | undefined, operatorKey: string): boolean {
  if (!presented) return false
  const a = createHash('sha256').update(presented).digest()
  const b = createHash('sha256').update(operatorKey).digest()
  return timingSafeEqual(a, b)
}

/** `Authorization: Bearer <x>` → x */
export function bearer(header: string | undefined): string | undefined {
  if (!header) return undefined
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header)
  return m?.[1]
}
