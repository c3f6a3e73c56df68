import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { fieldError, parseInput, schemaError, toInput } from './termFields.ts'
import { MAX_PRINCIPAL, MAX_TERM_MONTHS, RATE_MAX_DECIMALS, validateTerms } from '../../../shared/schema/terms.schema.ts'

describe('term inputs', () => {
  it('reads amounts in major units exactly and gives them back as typed', () => {
    expect(parseInput('amount', '100,000.5', 2)).toEqual({ ok: true, value: 10000050 })
    expect(parseInput('amount', '１２３', 2)).toEqual({ ok: true, value: 12300 })
    expect(parseInput('amount', '1.234', 2)).toMatchObject({ ok: false, key: 'valid.decimals' })
    expect(parseInput('amount', '-5', 2)).toMatchObject({ ok: false, key: 'valid.amount' })
    expect(parseInput('amount', '', 2)).toMatchObject({ ok: false, key: 'valid.required' })
    expect(toInput('amount', 10000050, 2)).toBe('100,000.50')
    expect(toInput('amount', 10000000, 2)).toBe('100,000')
    expect(toInput('amount', 99900, 2)).toBe('999')
    expect(toInput('amount', 123456789, 0)).toBe('123,456,789')
  })

  it('accepts thousands separators as commas or spaces', () => {
    expect(parseInput('amount', '150,000', 2)).toEqual({ ok: true, value: 15_000_000 })
    expect(parseInput('amount', '150 000', 2)).toEqual({ ok: true, value: 15_000_000 })
    expect(parseInput('amount', '150\u00a0000.5', 2)).toEqual({ ok: true, value: 15_000_050 })
    expect(parseInput('amount', '１５０，０００', 2)).toEqual({ ok: true, value: 15_000_000 })
  })

  it('reads back exactly what it shows, for any amount and any number of decimals (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MAX_PRINCIPAL }), fc.integer({ min: 0, max: 3 }), fc.constantFrom(',', ' '), (minor, digits, sep) => {
        const shown = toInput('amount', minor, digits)
        expect(parseInput('amount', shown, digits)).toEqual({ ok: true, value: minor })
        expect(parseInput('amount', shown.replaceAll(',', sep), digits)).toEqual({ ok: true, value: minor })
        // Groups of three: never more than three digits between separators.
        expect(shown.split('.')[0]!.split(',').slice(1).every((g) => g.length === 3)).toBe(true)
      }),
    )
  })

  it('shows any figure read from grouped or ungrouped text as the same text again (property)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[1-9]\d{0,12}(\.\d{1,2})?$/), (typed) => {
        const read = parseInput('amount', typed, 2)
        expect(read.ok).toBe(true)
        if (!read.ok) return
        const shown = toInput('amount', read.value, 2)
        expect(parseInput('amount', shown, 2)).toEqual(read)
        expect(toInput('amount', (parseInput('amount', shown, 2) as { value: number }).value, 2)).toBe(shown)
      }),
    )
  })

  it('keeps a rate as the decimal string typed and months as integers', () => {
    expect(parseInput('rate', ' 4.35 % ', 2)).toEqual({ ok: true, value: '4.35' })
    expect(parseInput('rate', '4.', 2)).toMatchObject({ ok: false, key: 'valid.rate' })
    expect(parseInput('months', '120', 2)).toEqual({ ok: true, value: 120 })
    expect(parseInput('months', '12.5', 2)).toMatchObject({ ok: false, key: 'valid.months' })
    expect(parseInput('rate', '04.35', 2)).toEqual({ ok: true, value: '4.35' })
    expect(parseInput('rate', '100', 2)).toEqual({ ok: true, value: '100' })
  })

  it('names the limit a value breaks instead of a general hint', () => {
    expect(parseInput('rate', '4.12345', 2)).toEqual({ ok: false, key: 'valid.rateDecimals', params: { digits: RATE_MAX_DECIMALS } })
    expect(parseInput('rate', '100.5', 2)).toEqual({ ok: false, key: 'valid.rateMax', params: { max: 100 } })
    expect(parseInput('rate', '250', 2)).toMatchObject({ ok: false, key: 'valid.rateMax' })
    expect(parseInput('months', String(MAX_TERM_MONTHS), 2)).toEqual({ ok: true, value: MAX_TERM_MONTHS })
    expect(parseInput('months', '601', 2)).toEqual({ ok: false, key: 'valid.monthsMax', params: { max: MAX_TERM_MONTHS } })
    expect(parseInput('months', '123456', 2)).toMatchObject({ ok: false, key: 'valid.monthsMax' })
    const terms = { principal: MAX_PRINCIPAL + 1, annualRatePct: '4', termMonths: 12, method: 'annuity' }
    expect(fieldError('principal', terms, 2)).toEqual({ key: 'valid.principalMax', params: { max: '100,000,000,000' } })
    expect(fieldError('principal', { ...terms, principal: 0 }, 2)).toEqual({ key: 'valid.principal' })
    expect(fieldError('termMonths', { ...terms, termMonths: 601 }, 2)).toEqual({ key: 'valid.monthsMax', params: { max: 600 } })
    expect(fieldError('annualRatePct', { ...terms, annualRatePct: '4.00001' }, 2)).toMatchObject({ key: 'valid.rateDecimals' })
    expect(fieldError('graceMonths', { ...terms, graceMonths: 12 }, 2)).toEqual({ key: 'valid.graceMonths' })
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
