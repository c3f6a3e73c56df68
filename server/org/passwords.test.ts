import { describe, expect, it } from 'vitest'
import { hashPassword, verifyDecoy, verifyPassword } from './passwords.ts'

describe('staff passwords', () => {
  it('hashes with argon2id at the OWASP parameters, salted, and verifies only the right password', async () => {
    const a = await hashPassword('correct horse battery')
    const b = await hashPassword('correct horse battery')
    expect(a).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/)
    expect(a).not.toBe(b)
    expect(await verifyPassword(a, 'correct horse battery')).toBe(true)
    expect(await verifyPassword(a, 'correct horse batterY')).toBe(false)
  })

  it('treats a stored value that is not an argon2 hash as a wrong password', async () => {
    expect(await verifyPassword('not-a-hash', 'x')).toBe(false)
    expect(await verifyPassword('', 'x')).toBe(false)
  })

  it('spends about what a real check costs when there is no account', async () => {
    const stored = await hashPassword('pw-pw-pw-pw-pw')
    await verifyDecoy('warm-up')
    const time = async (f: () => Promise<unknown>): Promise<number> => {
      const runs: number[] = []
      for (let i = 0; i < 5; i++) {
        const t = performance.now()
        await f()
        runs.push(performance.now() - t)
      }
      return runs.sort((x, y) => x - y)[2]!
    }
    const real = await time(() => verifyPassword(stored, 'wrong'))
    const decoy = await time(() => verifyDecoy('wrong'))
    expect(real).toBeGreaterThan(2)
    // Same work (one argon2id verification at the same parameters); generous bounds for a busy machine.
    expect(decoy / real).toBeGreaterThan(0.4)
    expect(decoy / real).toBeLessThan(2.5)
  })
})
