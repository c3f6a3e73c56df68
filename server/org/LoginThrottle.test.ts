import { describe, expect, it } from 'vitest'
import { LoginThrottle } from './LoginThrottle.ts'

/** A failed sign-in: the attempt's point is kept. */
async function fail(t: LoginThrottle, email: string, address: string): Promise<number> {
  return t.attempt(email, address)
}

describe('failed sign-in throttle', () => {
  it('blocks an account after its failures, from any address, until forgiven by a success', async () => {
    const t = new LoginThrottle({ perAccount: 3, perAddress: 100, windowS: 60 })
    for (let i = 0; i < 3; i++) expect(await fail(t, 'ann@x.test', `10.0.0.${i}`)).toBe(0)
    const wait = await t.attempt('ANN@x.test', '10.9.9.9')
    expect(wait).toBeGreaterThan(50_000)
    expect(wait).toBeLessThanOrEqual(60_000)
    expect(await t.attempt('bob@x.test', '10.9.9.9')).toBe(0)
    await t.succeeded('ann@x.test', '10.9.9.9')
    expect(await t.attempt('ann@x.test', '10.9.9.9')).toBe(0)
  })

  it('lets successful sign-ins through without end: each gives its point back', async () => {
    const t = new LoginThrottle({ perAccount: 2, perAddress: 2, windowS: 60 })
    for (let i = 0; i < 10; i++) {
      expect(await t.attempt('ann@x.test', '10.0.0.1')).toBe(0)
      await t.succeeded('ann@x.test', '10.0.0.1')
    }
  })

  it('counts guesses sent at once before any of them is answered', async () => {
    const t = new LoginThrottle({ perAccount: 5, perAddress: 100, windowS: 60 })
    const waits = await Promise.all(Array.from({ length: 20 }, () => t.attempt('ann@x.test', '10.0.0.1')))
    expect(waits.filter((w) => w === 0)).toHaveLength(5)
  })

  it('blocks an address guessing many accounts, whichever account it tries next', async () => {
    const t = new LoginThrottle({ perAccount: 100, perAddress: 4, windowS: 60 })
    for (let i = 0; i < 4; i++) await fail(t, `user${i}@x.test`, '203.0.113.7')
    expect(await t.attempt('someone-new@x.test', '203.0.113.7')).toBeGreaterThan(0)
    expect(await t.attempt('someone-new@x.test', '203.0.113.8')).toBe(0)
  })

  it('counts nothing with its limits at 0', async () => {
    const t = new LoginThrottle({ perAccount: 0, perAddress: 0, windowS: 60 })
    for (let i = 0; i < 20; i++) expect(await fail(t, 'a@x.test', '1.1.1.1')).toBe(0)
  })
})
