// Who is calling: the operator (OPERATOR_KEY) or a room participant (room token), from the
// `Authorization: Bearer …` header.
import type { Request } from 'express'
import { refuse, type Refusal } from '../../shared/protocol/errors.ts'
import type { FailedAuthBudget } from '../auth/FailedAuthBudget.ts'
import { bearer, isOperatorKey, type Tokens, type VerifiedToken } from '../auth/tokens.ts'

export type Principal = { kind: 'operator' } | { kind: 'participant'; token: VerifiedToken }

/** A refusal that tells the client when to try again (sent as Retry-After, in seconds). */
export type TimedRefusal = Refusal & { retryAfterS?: number }

/** Three base64url parts: a (possibly bad) room token, which can never be a guess of a key without dots. */
const TOKEN_SHAPE = /^[\w-]+\.[\w-]+\.[\w-]*$/

export class Authenticator {
  private readonly keyLooksLikeToken: boolean

  constructor(
    private readonly tokens: Tokens,
    private readonly operatorKey: string,
    /** Failed operator-key attempts of all addresses together (none: unlimited). */
    private readonly budget?: FailedAuthBudget,
    /** Told of every accepted key (the start-up output stops printing it once it has been used). */
    private readonly onKeyAccepted?: () => void,
  ) {
    this.keyLooksLikeToken = TOKEN_SHAPE.test(operatorKey)
  }

  /** Operator endpoints: a room token is not enough. */
  async operator(req: Request): Promise<Principal | TimedRefusal> {
    const presented = bearer(req.get('authorization'))
    if (!presented) return refuse('unauthorized', 'operator key required (Authorization: Bearer <OPERATOR_KEY>)')
    if (this.isKeyGuess(presented)) {
      const key = await this.checkKey(presented)
      return key ?? refuse('unauthorized', 'operator key is wrong')
    }
    const asToken = await this.tokens.verify(presented)
    return asToken.ok ? refuse('forbidden', 'a room token cannot do this') : refuse('unauthorized', 'operator key is wrong')
  }

  /** Room endpoints: the operator, or a token of exactly this room. */
  async room(req: Request, roomId: string): Promise<Principal | TimedRefusal> {
    const presented = bearer(req.get('authorization'))
    if (!presented) return refuse('unauthorized', 'room token required (Authorization: Bearer <token>)')
    const v = await this.tokens.verifyForRoom(presented, roomId)
    if (v.ok) return { kind: 'participant', token: v }
    // A genuine token's own refusal (expired, revoked, another room) is not a guess of the key.
    if (v.error !== 'unauthorized' || !this.isKeyGuess(presented)) return v
    return (await this.checkKey(presented)) ?? v
  }

  /** A bearer credential for any room: the operator key, or a room token (its room is the caller's to check). */
  async anyBearer(presented: string): Promise<Principal | TimedRefusal> {
    const v = await this.tokens.verify(presented)
    if (v.ok) return { kind: 'participant', token: v }
    if (v.error !== 'unauthorized' || !this.isKeyGuess(presented)) return v
    return (await this.checkKey(presented)) ?? refuse('unauthorized', 'the operator key, an API key or a room token is required')
  }

  /** The budget first: once it is spent even the right key is refused, or the answer would confirm a guess. */
  private async checkKey(presented: string): Promise<Principal | TimedRefusal | null> {
    const wait = (await this.budget?.spentFor()) ?? 0
    if (wait > 0) {
      return { ...refuse('rate_limited', 'too many failed operator authentications; try again later'), retryAfterS: Math.ceil(wait / 1000) }
    }
    if (isOperatorKey(presented, this.operatorKey)) {
      this.onKeyAccepted?.()
      return { kind: 'operator' }
    }
    await this.budget?.failed()
    return null
  }

  private isKeyGuess(presented: string): boolean {
    return this.keyLooksLikeToken || !TOKEN_SHAPE.test(presented)
  }
}

export function isRefused(x: Principal | Refusal): x is Refusal {
  return 'ok' in x && x.ok === false
}
