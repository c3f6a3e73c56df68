// Every budget the server keeps, per connection and per participant (room + role + token): Yjs updates
// (count and bytes), awareness and other Yjs messages, socket.io events, HTTP API requests per address.
import type { Redis } from 'ioredis'
import { Budget, type BudgetRate } from './Budget.ts'
import { tokenKey } from './ConnectionLimits.ts'

export interface RateLimitConfig {
  yjsUpdates: BudgetRate
  yjsBytes: BudgetRate
  /** Awareness, awareness queries and sync step 1: each makes the server encode and send. */
  yjsMessages: BudgetRate
  socketEvents: BudgetRate
  http: BudgetRate
}

export class RateLimits {
  readonly yjsUpdates: Budget
  readonly yjsBytes: Budget
  readonly yjsMessages: Budget
  readonly socketEvents: Budget
  readonly http: Budget

  constructor(c: RateLimitConfig, redis?: Redis) {
    this.yjsUpdates = new Budget('yjs-updates', c.yjsUpdates, redis)
    this.yjsBytes = new Budget('yjs-bytes', c.yjsBytes, redis)
    this.yjsMessages = new Budget('yjs-messages', c.yjsMessages, redis)
    this.socketEvents = new Budget('socket-events', c.socketEvents, redis)
    // Per address in this process: an HTTP request never waits for Redis.
    this.http = new Budget('http', c.http)
  }

  /** No Yjs budget at all (every rate 0): messages are handled without metering. */
  get yjsUnlimited(): boolean {
    return this.yjsUpdates.unlimited && this.yjsBytes.unlimited && this.yjsMessages.unlimited
  }

  /** While a participant's Yjs budget is spent, a new connection would only be closed again: refuse it at the door. */
  async yjsSpentFor(participant: string): Promise<number> {
    const ms = await Promise.all([this.yjsUpdates.spentFor(participant), this.yjsBytes.spentFor(participant), this.yjsMessages.spentFor(participant)])
    return Math.max(...ms)
  }
}

/** One person in one room (the token names the role), whichever connections and processes they use. */
export function participantKey(room: string, token: string): string {
  return `${room}:${tokenKey(token)}`
}
