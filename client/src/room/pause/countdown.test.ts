import { describe, expect, it } from 'vitest'
import { countdown } from './countdown.ts'

describe('countdown', () => {
  it('shows minutes and seconds left, rounding seconds up and stopping at 00:00', () => {
    expect(countdown(30 * 60_000)).toBe('30:00')
    expect(countdown(299_500)).toBe('05:00')
    expect(countdown(299_000)).toBe('04:59')
    expect(countdown(1)).toBe('00:01')
    expect(countdown(0)).toBe('00:00')
    expect(countdown(-5000)).toBe('00:00')
  })
})
