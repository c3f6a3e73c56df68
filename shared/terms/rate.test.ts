import { describe, expect, it } from 'vitest'
import { interestOn, monthlyRate, parseRate, ratePctFromTenThousandths } from './rate.ts'

describe('parseRate', () => {
  it('parses the decimal string exactly, as a fraction of one', () => {
    expect(parseRate('4.35')).toEqual({ num: 435n, den: 10_000n })
    expect(parseRate('100')).toEqual({ num: 100n, den: 100n })
    expect(parseRate('0')).toEqual({ num: 0n, den: 100n })
    expect(parseRate('0.0001')).toEqual({ num: 1n, den: 1_000_000n })
  })

  it('refuses anything that is not a plain non-negative decimal', () => {
    for (const bad of ['', '-1', '1e2', '.5', '5.', ' 4.35', '4,35', 'abc']) {
      expect(() => parseRate(bad), bad).toThrow(RangeError)
    }
  })
})

describe('monthlyRate and interestOn', () => {
  it('reduces annual / 12 to lowest terms', () => {
    const r = monthlyRate(parseRate('4.35')) // 435 / 120000 = 29 / 8000
    expect([r.num, r.den]).toEqual([29n, 8000n])
    expect(monthlyRate(parseRate('0')).num).toBe(0n)
  })

  it('rounds each month’s interest half up, on the fast path and the BigInt path alike', () => {
    const r = monthlyRate(parseRate('12')) // 1 % a month
    expect(interestOn(150, r)).toBe(2) // 1.50 → 2
    expect(interestOn(149, r)).toBe(1) // 1.49 → 1
    // 10^13 at 100 %: 10^13 / 12 = 833,333,333,333.33 → …333; the product needs BigInt.
    const big = monthlyRate(parseRate('99.9999'))
    // 10^13 × 999999 / 12,000,000 = 833,332,500,000 exactly (BigInt path: product ~10^19).
    expect(interestOn(10 ** 13, big)).toBe(833_332_500_000)
    expect(interestOn(10 ** 13, monthlyRate(parseRate('100')))).toBe(833_333_333_333)
  })

  it('writes solver rates with 4 decimals', () => {
    expect(ratePctFromTenThousandths(43500)).toBe('4.3500')
    expect(ratePctFromTenThousandths(0)).toBe('0.0000')
    expect(ratePctFromTenThousandths(1_000_000)).toBe('100.0000')
    expect(ratePctFromTenThousandths(7)).toBe('0.0007')
  })
})
