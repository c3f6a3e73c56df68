import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { termsArb } from '../../test/support/terms/arbitraries.ts'
import type { Terms } from '../terms/types.ts'
import { termsSchema, validateTerms } from './terms.schema.ts'

const valid: Terms = { principal: 100_000_000, annualRatePct: '4.35', termMonths: 360, method: 'annuity' }

function errorOf(x: unknown): string {
  const r = validateTerms(x)
  return r.ok ? 'ok' : r.error
}

describe('validateTerms', () => {
  it('accepts the contract’s terms object and returns a copy with graceInterest defaulted', () => {
    expect(validateTerms(valid)).toEqual({ ok: true, value: valid })
    const withGrace = { ...valid, graceMonths: 6 }
    const r = validateTerms(withGrace)
    expect(r).toEqual({ ok: true, value: { ...withGrace, graceInterest: 'capitalize' } })
    expect(withGrace).not.toHaveProperty('graceInterest') // the caller's object is untouched
    expect(validateTerms({ ...valid, graceMonths: 0 })).toEqual({ ok: true, value: { ...valid, graceMonths: 0 } })
  })

  it.each([
    [{ ...valid, termMonths: 601 }, '/termMonths: must be <= 600'],
    [{ ...valid, termMonths: 0 }, '/termMonths: must be >= 1'],
    [{ ...valid, termMonths: 12.5 }, '/termMonths: must be integer'],
    [{ ...valid, principal: 0 }, '/principal: must be >= 1'],
    [{ ...valid, principal: 10 ** 13 + 1 }, '/principal: must be <= 10000000000000'],
    [{ ...valid, principal: '100' }, '/principal: must be integer'],
    [{ ...valid, annualRatePct: 4.35 }, '/annualRatePct: must be string'],
    [{ ...valid, annualRatePct: '100.0001' }, '/annualRatePct: must be a decimal string from 0 to 100 with at most 4 decimals'],
    [{ ...valid, annualRatePct: '4.35001' }, '/annualRatePct: must be a decimal string from 0 to 100 with at most 4 decimals'],
    [{ ...valid, annualRatePct: '-1' }, '/annualRatePct: must be a decimal string from 0 to 100 with at most 4 decimals'],
    [{ ...valid, method: 'balloon' }, '/method: must be one of annuity, equal_principal, interest_only, bullet'],
    [{ ...valid, graceMonths: 360 }, '/graceMonths: must be < termMonths'],
    [{ ...valid, graceMonths: -1 }, '/graceMonths: must be >= 0'],
    [{ ...valid, method: 'bullet', graceMonths: 1 }, '/graceMonths: must be 0 with method bullet'],
    [{ ...valid, graceMonths: 1, graceInterest: 'defer' }, '/graceInterest: must be one of capitalize, pay'],
    [{ ...valid, upfrontFee: 100_000_000 }, '/upfrontFee: must be < principal'],
    [{ ...valid, upfrontFee: -1 }, '/upfrontFee: must be >= 0'],
    [{ ...valid, note: 'x' }, '/note: is not allowed'],
    [{ principal: 1, annualRatePct: '1', termMonths: 1 }, '/method: is required'],
    [[valid], '/: must be object'],
    [null, '/: must be object'],
  ])('refuses %j with "%s"', (input, error) => {
    expect(errorOf(input)).toBe(error)
  })

  it('accepts the range ends', () => {
    for (const rate of ['0', '0.0001', '99.9999', '100', '100.0', '100.0000', '7']) expect(errorOf({ ...valid, annualRatePct: rate }), rate).toBe('ok')
    for (const rate of ['00', '01', '.5', '5.', '1e2', ' 5', '100.5', '101', '1000']) expect(errorOf({ ...valid, annualRatePct: rate }), rate).not.toBe('ok')
    expect(errorOf({ ...valid, principal: 10 ** 13, termMonths: 600, graceMonths: 599, upfrontFee: 10 ** 13 - 1, graceInterest: 'pay' })).toBe('ok')
    expect(errorOf({ ...valid, principal: 1, termMonths: 1 })).toBe('ok')
  })

  it('refuses a capitalized grace whose amounts would leave exact integers, at /graceMonths', () => {
    const huge = { principal: 10 ** 13, annualRatePct: '100', termMonths: 600, method: 'annuity', graceMonths: 300 }
    expect(errorOf(huge)).toMatch(/^\/graceMonths: amounts would exceed 9007199254740991 minor units/)
    expect(errorOf({ ...huge, graceInterest: 'pay' })).toBe('ok')
  })

  it('is a draft-07 schema object that forbids unknown keys', () => {
    expect(termsSchema.$schema).toBe('http://json-schema.org/draft-07/schema#')
    expect(termsSchema.additionalProperties).toBe(false)
  })
})

describe('validateTerms properties', () => {
  it('accepts every generated valid terms object, returning it unchanged but for the default', () => {
    fc.assert(
      fc.property(termsArb(), (terms) => {
        const before = structuredClone(terms)
        const r = validateTerms(terms)
        expect(r).toEqual({ ok: true, value: (terms.graceMonths ?? 0) > 0 ? { graceInterest: 'capitalize', ...terms } : terms })
        expect(terms).toEqual(before)
      }),
      { numRuns: 500 },
    )
  })

  type Breakage = [field: string, (t: Terms) => Record<string, unknown>]
  const breakages: Breakage[] = [
    ['principal', (t) => ({ ...t, principal: 0 })],
    ['principal', (t) => ({ ...t, principal: 10 ** 13 + 1 + (t.principal % 1000) })],
    ['principal', (t) => ({ ...t, principal: t.principal + 0.5 })],
    ['annualRatePct', (t) => ({ ...t, annualRatePct: `${100 + (t.termMonths % 50)}.${t.principal % 10}1` })],
    ['annualRatePct', (t) => ({ ...t, annualRatePct: `${t.annualRatePct}${t.annualRatePct.includes('.') ? '' : '.'}00001` })],
    ['annualRatePct', (t) => ({ ...t, annualRatePct: Number(t.annualRatePct) })],
    ['termMonths', (t) => ({ ...t, termMonths: 601 + (t.principal % 1000) })],
    ['termMonths', (t) => ({ ...t, termMonths: 0 })],
    ['method', (t) => ({ ...t, method: 'annuity ' })],
    ['graceMonths', (t) => ({ ...t, graceMonths: t.termMonths + (t.principal % 3) })],
    ['graceMonths', (t) => ({ ...t, graceMonths: -1 - (t.principal % 5) })],
    ['graceMonths', (t) => ({ ...t, method: 'bullet', graceMonths: 1 + (t.principal % Math.max(1, t.termMonths - 1)) })],
    ['graceInterest', (t) => ({ ...t, graceInterest: 'later' })],
    ['upfrontFee', (t) => ({ ...t, upfrontFee: t.principal + (t.termMonths % 7) })],
    ['upfrontFee', (t) => ({ ...t, upfrontFee: -1 })],
    ['extra', (t) => ({ ...t, extra: t.termMonths })],
  ]

  it('refuses every out-of-range field with that field’s path', () => {
    fc.assert(
      fc.property(termsArb(), fc.constantFrom(...breakages), (terms, [field, breakIt]) => {
        const broken = breakIt(terms)
        // Bullet grace on a 1-month term is refused as "must be < termMonths": still /graceMonths.
        expect(errorOf(broken)).toMatch(new RegExp(`^/${field}: `))
      }),
      { numRuns: 500 },
    )
  })
})
