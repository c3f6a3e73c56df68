import { describe, expect, it } from 'vitest'
import { parseInput, schemaError, toInput } from '../../../client/src/lib/termFields.ts'
import { validateTerms } from '../../../shared/schema/terms.schema.ts'
import { parseRoute } from '../../../client/src/lib/route.ts'
import { initialLang } from '../../../client/src/lib/lang.ts'

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

describe('routes and language', () => {
  it('knows the lobby and room paths', () => {
    expect(parseRoute('/')).toEqual({ name: 'lobby' })
    expect(parseRoute('/lobby/')).toEqual({ name: 'lobby' })
    expect(parseRoute('/room/abc_123')).toEqual({ name: 'room', roomId: 'abc_123' })
    expect(parseRoute('/room/a/b')).toEqual({ name: 'notFound' })
  })

  it('prefers the stored choice, then the browser language', () => {
    expect(initialLang('en', ['zh-CN'])).toBe('en')
    expect(initialLang(null, ['zh-TW', 'en'])).toBe('zh')
    expect(initialLang(null, ['fr-FR', 'en-GB'])).toBe('en')
    expect(initialLang(null, ['fr'])).toBe('en')
  })
})

describe('content paths', () => {
  it('reads the content check’s paths too', () => {
    expect(schemaError('/terms/termMonths: must be >= 1')).toEqual({ field: 'termMonths', reason: 'must be >= 1' })
    expect(schemaError('/waivers/fees: must be <= the baseline fees (36500)').field).toBeNull()
  })
})
