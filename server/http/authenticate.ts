// Who is calling: the operator (OPERATOR_KEY) or a room participant (room token), from the
// `Authorization: Bearer …` header.
import type { Request } from 'express'
import { refuse, type Refusal } from '../../shared/protocol/errors.ts'
import { bearer, isOperatorKey, type Tokens, type VerifiedToken } from '../auth/tokens.ts'

export type Principal = { kind: 'operator' } | { kind: 'participant'; token: VerifiedToken }

export class Authenticator {
  constructor(
    private readonly tokens: Tokens,
    private readonly operatorKey: string,
  ) {}

  /** Operator endpoints: a room token is not enough. */
  async operator(req: Request): Promise<Principal | Refusal> {
    const presented = bearer(req.get('authorization'))
    if (!presented) return refuse('unauthorized', 'operator key required (Authorization: Bearer <OPERATOR_KEY>)')
    if (isOperatorKey(presented, this.operatorKey)) return { kind: 'operator' }
    const asToken = await this.tokens.verify(presented)
    return asToken.ok ? refuse('forbidden', 'a room token cannot do this') : refuse('unauthorized', 'operator key is wrong')
  }

  /** Room endpoints: the operator, or a token of exactly this room. */
  async room(req: Request, roomId: string): Promise<Principal | Refusal> {
    const presented = bearer(req.get('authorization'))
    if (!presented) return refuse('unauthorized', 'room token required (Authorization: Bearer <token>)')
    if (isOperatorKey(presented, this.operatorKey)) return { kind: 'operator' }
    const v = await this.tokens.verifyForRoom(presented, roomId)
    return v.ok ? { kind: 'participant', token: v } : v
  }
}

export function isRefused(x: Principal | Refusal): x is Refusal {
  return 'ok' in x && x.ok === false
}
