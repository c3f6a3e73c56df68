import { describe, expect, it } from 'vitest'
import { effectiveTerms, isRestructuring } from './effectiveTerms.ts'
import { handContent } from '../../test/support/restructuring/example.ts'

describe('effectiveTerms', () => {
  it('outside a restructuring room: the terms as they are (a copy)', () => {
    const content = { ...handContent(), baseline: {}, waivers: {}, terms: { principal: 100, annualRatePct: '5', termMonths: 12, method: 'annuity' } }
    expect(isRestructuring(content)).toBe(false)
    const t = effectiveTerms(content)
    expect(t).toEqual(content.terms)
    expect(t).not.toBe(content.terms)
  })

  it('in a restructuring room: the computed new principal, whatever principal was typed', () => {
    const content = handContent()
    expect(isRestructuring(content)).toBe(true)
    expect(effectiveTerms(content)).toEqual({ principal: 296_000, annualRatePct: '0', termMonths: 3, method: 'annuity' })
    expect(effectiveTerms({ ...content, terms: { ...content.terms, principal: 1 } })['principal']).toBe(296_000)
  })

  it('while the baseline or the waivers are invalid: no principal at all', () => {
    const content = handContent()
    const t = effectiveTerms({ ...content, terms: { ...content.terms, principal: 5 }, waivers: { fees: 2_000, feesReason: 'x' } })
    expect(t).not.toHaveProperty('principal')
    expect(effectiveTerms({ ...content, baseline: { outstandingPrincipal: 10 } })).not.toHaveProperty('principal')
  })
})
