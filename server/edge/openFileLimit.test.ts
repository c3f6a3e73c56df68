import { describe, expect, it } from 'vitest'
import { connectionLimitWarning, openFileLimit } from './openFileLimit.ts'

const limits = (soft: string, hard: string): string =>
  `Limit                     Soft Limit           Hard Limit           Units     \nMax processes             127431               127431               processes \nMax open files            ${soft}                ${hard}                files     \n`

describe('openFileLimit', () => {
  it('reads the soft open-file limit from /proc/self/limits', () => {
    expect(openFileLimit(limits('20000', '20000'))).toBe(20000)
    expect(openFileLimit(limits('unlimited', 'unlimited'))).toBe(Number.POSITIVE_INFINITY)
    expect(openFileLimit(null)).toBeNull()
    expect(openFileLimit('nothing here')).toBeNull()
  })

  it('warns when MAX_CONNECTIONS and the headroom do not fit under it, naming both numbers', () => {
    expect(connectionLimitWarning(10_000, 20_000)).toBeNull()
    expect(connectionLimitWarning(10_000, null)).toBeNull()
    expect(connectionLimitWarning(30_000, 20_000)).toMatch(/MAX_CONNECTIONS 30000 .*\(20000, .*at least 30256/)
  })
})
