// A participant's budget on Redis (REDIS_URL): two processes' limiters spend from one count, a
// spent key is then refused from memory, and with Redis gone each process falls back to its own count.
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Budget } from '../../server/edge/Budget.ts'
import { findRedisServer, startRedis, warnRedisSkipped, type TestRedis } from '../helpers/redis.ts'

const available = findRedisServer() !== null
if (!available) warnRedisSkipped('Redis budget tests')

describe.skipIf(!available)('Budget on Redis', () => {
  let redis: TestRedis
  const clients: Redis[] = []
  beforeAll(async () => {
    redis = await startRedis()
  })
  afterAll(async () => {
    for (const c of clients) c.disconnect()
    await redis?.stop()
  })

  /** Connected, as the server's is (RedisFanout.connect waits for it). */
  async function client(): Promise<Redis> {
    const c = new Redis(redis.url, { maxRetriesPerRequest: null })
    clients.push(c)
    await c.ping()
    return c
  }

  it('two processes share one participant budget; connection budgets stay per process', async () => {
    const limit = { rate: 5, burst: 10 }
    const a = new Budget('test-updates', limit, await client())
    const b = new Budget('test-updates', limit, await client())
    const results = []
    for (let i = 0; i < 14; i++) results.push(await (i % 2 ? a : b).spend({ connection: `c${i % 2}`, participant: 'room1:tok' }))
    expect(results.filter((r) => r.ok).length).toBe(10)
    const refused = results.filter((r) => !r.ok)
    for (const r of refused) expect(r.ok === false && r.retryAfterMs).toBeGreaterThan(0)
    expect(await a.spentFor('room1:tok')).toBeGreaterThan(0)
    // Another participant is untouched.
    expect((await b.spend({ participant: 'room1:other' })).ok).toBe(true)
  })

  it('with Redis unreachable the in-memory insurance still limits', async () => {
    const dead = new Redis('redis://127.0.0.1:1', { maxRetriesPerRequest: null, lazyConnect: true, retryStrategy: () => null })
    clients.push(dead)
    const budget = new Budget('test-insured', { rate: 5, burst: 10 }, dead)
    const results = []
    for (let i = 0; i < 12; i++) results.push(await budget.spend({ participant: 'room1:tok' }))
    expect(results.filter((r) => r.ok).length).toBe(10)
  })
})
