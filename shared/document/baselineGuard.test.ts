import { describe, expect, it } from 'vitest'
import { baselineEditable, baselineWriteRefusal } from './baselineGuard.ts'

describe('baselineWriteRefusal', () => {
  it('lets the baseline change while nobody has confirmed', () => {
    expect(baselineWriteRefusal(['baseline'], [])).toBeNull()
    expect(baselineEditable([])).toBe(true)
  })

  it('refuses a baseline write once anyone has confirmed, and only that', () => {
    expect(baselineWriteRefusal(new Set(['terms', 'baseline']), ['borrower'])).toEqual({
      code: 'baseline_frozen',
      message: 'the debt being restructured cannot change while a confirmation stands (borrower); withdraw it first',
    })
    expect(baselineWriteRefusal(['terms', 'waivers', 'commitments'], ['borrower', 'lender'])).toBeNull()
    expect(baselineEditable(new Set(['lender']))).toBe(false)
  })
})
