import { describe, expect, it } from 'vitest'
import { parseInput, schemaError, toInput } from './termFields.ts'
import { validateTerms } from '../../../shared/schema/terms.schema.ts'

describe('term inputs', () => {
  it('reads amounts in major units exactly and gives them back as typed', () => {
    expect(parseInput('amount', '100,000.5', 2)).toEqual({ ok: true, value: 10000050 })
    expect(parseInput('amount', '１２３', 2)).toEqual({ ok: true, value: 12300 })
    expect(parseInput('amount', '1.234', 2)).toMatchObject({ ok: false, key: 'valid.decimals' })
    expect(parseInput('amount', '-5', 2)).toMatchObject({ ok: false, key: 'valid.amount' })
    expect(parseInput('amount', '', 2)).toMatchObject({ ok: false, key: 'valid.required' })
    expect(toInput('amount', 10000050, 2)).toBe('100000.50')
    expect(toInput('amount', 10000000, 2)).toBe('100000')
  })

  it('keeps a rate as the decimal string typed and months as integers', () => {
    expect(parseInput('rate', ' 4.35 % ', 2)).toEqual({ ok: true, value: '4.35' })
    expect(parseInput('rate', '4.', 2)).toMatchObject({ ok: false, key: 'valid.rate' })
    expect(parseInput('months', '120', 2)).toEqual({ ok: true, value: 120 })
    expect(parseInput('months', '12.5', 2)).toMatchObject({ ok: false, key: 'valid.months' })
  })

  it('points a schema error at its field', () => {
    const r = validateTerms({ principal: 100, annualRatePct: '4', termMonths: 12, method: 'annuity', graceMonths: 12 })
    expect(r.ok).toBe(false)
    if (!r.ok) expect(schemaError(r.error).field).toBe('graceMonths')
    const m = validateTerms({ principal: 100, annualRatePct: '4', termMonths: 12 })
    if (!m.ok) expect(schemaError(m.error).field).toBe('method')
    expect(schemaError('/: is invalid').field).toBeNull()
  })
})

describe('content paths', () => {
  it('reads the content check’s paths too', () => {
    expect(schemaError('/terms/termMonths: must be >= 1')).toEqual({ field: 'termMonths', reason: 'must be >= 1' })
    expect(schemaError('/waivers/fees: must be <= the baseline fees (36500)').field).toBeNull()
  })
})
