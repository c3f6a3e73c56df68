import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { formatMoney, minorDigits, minorToMajorString, normalizeDigits, parseMajor } from './money.ts'

describe('money text', () => {
  it('knows each currency’s minor digits', () => {
    expect(minorDigits('CNY')).toBe(2)
    expect(minorDigits('JPY')).toBe(0)
    expect(minorDigits('BHD')).toBe(3)
  })

  it('round-trips every safe amount through its major-unit string', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), fc.constantFrom(0, 2, 3), (minor, digits) => {
        const s = minorToMajorString(minor, digits)
        expect(parseMajor(s, digits)).toEqual({ ok: true, value: minor })
      }),
    )
  })

  it('reads what people type, without float rounding', () => {
    expect(parseMajor('0.1', 2)).toEqual({ ok: true, value: 10 })
    expect(parseMajor('1,234,567.89', 2)).toEqual({ ok: true, value: 123456789 })
    expect(parseMajor('.5', 2)).toEqual({ ok: true, value: 50 })
    expect(parseMajor('12.', 2)).toEqual({ ok: true, value: 1200 })
    expect(parseMajor('1.005', 2)).toEqual({ ok: false, reason: 'decimals' })
    expect(parseMajor('1e5', 2)).toEqual({ ok: false, reason: 'format' })
    expect(parseMajor('.', 2)).toEqual({ ok: false, reason: 'format' })
    expect(parseMajor('99999999999999999', 2)).toEqual({ ok: false, reason: 'too_large' })
    expect(normalizeDigits('１２３．４５')).toBe('123.45')
  })

  it('formats with the language’s grouping and the currency symbol, exactly', () => {
    expect(formatMoney(123456789, 'CNY', 'zh-CN')).toBe('¥1,234,567.89')
    expect(formatMoney(123456789, 'USD', 'en-US')).toBe('$1,234,567.89')
    // Beyond float precision for the major value: the digits are still exact.
    expect(formatMoney(9007199254740991, 'CNY', 'en-US')).toBe('CN¥90,071,992,547,409.91')
    expect(formatMoney(-5, 'EUR', 'en-US')).toBe('-€0.05')
    expect(formatMoney(1200, 'JPY', 'en-US')).toBe('¥1,200')
  })
})
