import { describe, expect, it } from 'vitest'
import { subtractFixed4, toFixed4 } from './fixed.ts'

describe('fixed 4-decimal strings', () => {
  it('rounds half up to 4 decimals without exponent notation', () => {
    expect(toFixed4(4.35)).toBe('4.3500')
    expect(toFixed4(4.349951)).toBe('4.3500')
    expect(toFixed4(4.3500000000000001)).toBe('4.3500')
    expect(toFixed4(4.3499999999999)).toBe('4.3500')
    expect(toFixed4(4.34994)).toBe('4.3499')
    expect(toFixed4(0)).toBe('0.0000')
    expect(toFixed4(-1e-12)).toBe('0.0000') // float noise around zero is zero, not "-0.0000"
    expect(toFixed4(-0.25)).toBe('-0.2500')
    expect(toFixed4(1e21)).toBe('1000000000000000000000.0000')
    expect(() => toFixed4(Number.NaN)).toThrow(RangeError)
  })

  it('subtracts exactly', () => {
    expect(subtractFixed4('4.3500', '4.9000')).toBe('-0.5500')
    expect(subtractFixed4('4.9', '4.35')).toBe('0.5500')
    expect(subtractFixed4('0.0001', '0.0001')).toBe('0.0000')
    expect(subtractFixed4('-1.5', '1')).toBe('-2.5000')
  })
})
