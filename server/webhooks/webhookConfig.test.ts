// WEBHOOK_* configuration: a mistake stops the start with one clear line instead of an outbox nobody can read.
import { describe, expect, it } from 'vitest'
import { configFromEnv, resolveConfig } from '../config.ts'

const SECRET = `whsec_${Buffer.alloc(32, 5).toString('base64')}`
const resolve = (env: Record<string, string>) => resolveConfig(configFromEnv(env))

describe('webhook configuration', () => {
  it('reads the endpoint, secret and tuning from the environment, with a day of retries by default', () => {
    const c = resolve({ WEBHOOK_URL: 'https://lender.example/hooks', WEBHOOK_SECRET: SECRET, WEBHOOK_MAX_AGE_MS: '60000', WEBHOOK_TIMEOUT_MS: '2000' })
    expect(c).toMatchObject({ webhookUrl: 'https://lender.example/hooks', webhookSecret: SECRET, webhookMaxAgeMs: 60_000, webhookTimeoutMs: 2_000, webhookRetryBaseMs: 5_000 })
    expect(resolve({})).toMatchObject({ webhookMaxAgeMs: 24 * 3600_000, webhookRetryMaxMs: 3600_000 })
    expect(resolve({}).webhookUrl).toBeUndefined()
  })

  it('refuses a URL without a secret, a secret without a URL, a secret not in whsec_ form, and a non-http URL', () => {
    expect(() => resolve({ WEBHOOK_URL: 'https://lender.example/hooks' })).toThrow(/WEBHOOK_SECRET/)
    expect(() => resolve({ WEBHOOK_SECRET: SECRET })).toThrow(/WEBHOOK_URL is not/)
    expect(() => resolve({ WEBHOOK_URL: 'https://lender.example/hooks', WEBHOOK_SECRET: 'hunter2' })).toThrow(/whsec_/)
    expect(() => resolve({ WEBHOOK_URL: 'ftp://lender.example/', WEBHOOK_SECRET: SECRET })).toThrow(/http/)
    expect(() => resolve({ WEBHOOK_URL: 'not a url', WEBHOOK_SECRET: SECRET })).toThrow(/http/)
    expect(() => resolve({ WEBHOOK_URL: 'https://lender.example/', WEBHOOK_SECRET: SECRET, WEBHOOK_TIMEOUT_MS: '0' })).toThrow(/positive/)
  })
})
