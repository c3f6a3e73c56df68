import { describe, expect, it } from 'vitest'
import { LoginThrottle } from './LoginThrottle.ts'

describe('failed sign-in throttle', () => {
  it('blocks an account after its failures, from any address, until forgiven by a success', async () => {
    const t = new LoginThrottle({ perAccount: 3, perAddress: 100, windowS: 60 })
    for (let i = 0; i < 3; i++) {
      expect(await t.blockedFor('ann@x.test', `10.0.0.${i}`)).toBe(0)
      await t.failed('ann@x.test', `10.0.0.${i}`)
    }
    const wait = await t.blockedFor('ANN@x.test', '10.9.9.9')
    expect(wait).toBeGreaterThan(50_000)
    expect(wait).toBeLessThanOrEqual(60_000)
    expect(await t.blockedFor('bob@x.test', '10.9.9.9')).toBe(0)
    await t.succeeded('ann@x.test')
    expect(await t.blockedFor('ann@x.test', '10.9.9.9')).toBe(0)
  })

  it('blocks an address guessing many accounts, whichever account it tries next', async () => {
    const t = new LoginThrottle({ perAccount: 100, perAddress: 4, windowS: 60 })
    for (let i = 0; i < 4; i++) await t.failed(`user${i}@x.test`, '203.0.113.7')
    expect(await t.blockedFor('someone-new@x.test', '203.0.113.7')).toBeGreaterThan(0)
    expect(await t.blockedFor('someone-new@x.test', '203.0.113.8')).toBe(0)
    await t.succeeded('user0@x.test')
    expect(await t.blockedFor('user0@x.test', '203.0.113.7')).toBeGreaterThan(0)
  })

  it('counts nothing with its limits at 0', async () => {
    const t = new LoginThrottle({ perAccount: 0, perAddress: 0, windowS: 60 })
    for (let i = 0; i < 20; i++) await t.failed('a@x.test', '1.1.1.1')
    expect(await t.blockedFor('a@x.test', '1.1.1.1')).toBe(0)
  })
})
