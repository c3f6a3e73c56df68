import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { RoomContent, ScalarMap } from '../document/roomDoc.ts'
import { computeSchedule } from '../terms/schedule.ts'
import { baselineArb, handContent, waiversWithin } from '../../test/support/restructuring/example.ts'
import { termsArb } from '../../test/support/terms/arbitraries.ts'
import { comparedTerms, comparedWaivers, contentChanges, readChanges, type ContentChange } from './contentChanges.ts'

const loan = (terms: ScalarMap, more: Partial<RoomContent> = {}): RoomContent => ({
  terms,
  clauses: '',
  profile: {},
  baseline: {},
  waivers: {},
  commitments: {},
  ...more,
})

const BASE = { principal: 1_200_000, annualRatePct: '8.3', termMonths: 12, method: 'annuity' }

describe('contentChanges', () => {
  it('a fee where there was none: the fee from 0, then the APR it leads to (the instalment stays)', () => {
    const changes = contentChanges(loan(BASE), loan({ ...BASE, upfrontFee: 300_000 }))
    const apr = (fee: number) => computeSchedule({ ...BASE, method: 'annuity', upfrontFee: fee }).aprPct
    expect(changes).toEqual([
      { section: 'terms', key: 'upfrontFee', kind: 'money', before: 0, after: 300_000 },
      { section: 'figures', key: 'aprPct', kind: 'rate', before: apr(0), after: apr(300_000) },
    ])
  })

  it('a rate spelt differently is the same rate; a longer term moves the instalment (not the APR: no fee)', () => {
    expect(contentChanges(loan(BASE), loan({ ...BASE, annualRatePct: '8.30' }))).toEqual([])
    const changes = contentChanges(loan(BASE), loan({ ...BASE, termMonths: 24 }))
    expect(changes.map((c) => `${c.section}.${c.key}`)).toEqual(['terms.termMonths', 'figures.regularInstalment'])
    expect(changes[0]).toMatchObject({ kind: 'months', before: 12, after: 24 })
  })

  it('invalid content has no figures: they go to null, never to a number nobody agreed', () => {
    const changes = contentChanges(loan(BASE), loan({ ...BASE, termMonths: 0 }))
    expect(changes.find((c) => c.key === 'regularInstalment')).toMatchObject({ before: expect.any(Number), after: null })
  })

  it('in a restructuring room, each waiver, baseline figure and commitment is named, not only the new principal', () => {
    const a = handContent()
    const b = handContent()
    b.waivers = { ...b.waivers, accruedInterest: 2_000, accruedInterestReason: 'Hardship' }
    b.commitments = { ...b.commitments, firstDueDate: '2025-04-30', creditReporting: 'no_change', noHomeVisits: false }
    b.clauses = 'Paid by transfer.'
    const byKey = (cs: ContentChange[]) => Object.fromEntries(cs.map((c) => [`${c.section}.${c.key}`, c]))
    const changes = byKey(contentChanges(a, b))
    expect(Object.keys(changes)).toEqual([
      'terms.principal',
      'waivers.accruedInterest',
      'waivers.accruedInterestReason',
      'commitments.firstDueDate',
      'commitments.noHomeVisits',
      'commitments.creditReporting',
      'clauses.clauses',
      'figures.regularInstalment',
      'figures.totalToPay',
      'figures.recoveryRatioPct',
    ])
    expect(changes['terms.principal']).toMatchObject({ kind: 'money', before: 296_000, after: 294_000 })
    expect(changes['waivers.accruedInterest']).toMatchObject({ kind: 'money', before: 0, after: 2_000 })
    expect(changes['commitments.firstDueDate']).toMatchObject({ kind: 'date', before: '2025-03-31', after: '2025-04-30' })
    expect(changes['commitments.creditReporting']).toMatchObject({ kind: 'choice', before: 'restructured_current', after: 'no_change' })
    expect(changes['commitments.noHomeVisits']).toMatchObject({ kind: 'flag', before: true, after: false })
    expect(changes['clauses.clauses']).toMatchObject({ kind: 'edited', before: null, after: null })
    expect(changes['figures.totalToPay']).toMatchObject({ kind: 'money', before: 296_000, after: 294_000 })
    // A restated baseline is listed by its own figure too.
    const restated = handContent()
    restated.baseline = { ...restated.baseline, fees: 1_500, daysPastDue: 80 }
    expect(contentChanges(a, restated).slice(0, 3)).toEqual([
      { section: 'terms', key: 'principal', kind: 'money', before: 296_000, after: 296_500 },
      { section: 'baseline', key: 'fees', kind: 'money', before: 1_000, after: 1_500 },
      { section: 'baseline', key: 'daysPastDue', kind: 'integer', before: 75, after: 80 },
    ])
  })

  it('a key the model does not know is still listed, read by its value', () => {
    expect(contentChanges(loan(BASE), loan(BASE, { commitments: { extra: 'x' } }))[0]).toEqual({
      section: 'commitments',
      key: 'extra',
      kind: 'text',
      before: null,
      after: 'x',
    })
  })
})

describe('contentChanges (properties)', () => {
  const contentArb = fc
    .tuple(termsArb({ maxTerm: 120 }), baselineArb, fc.boolean())
    .chain(([terms, baseline, restructuring]) =>
      (restructuring ? waiversWithin(baseline) : fc.constant({})).map((waivers) =>
        loan({ ...terms }, restructuring ? { baseline: { ...baseline }, waivers: { ...waivers } } : {}),
      ),
    )

  it('nothing changed from a content to itself', () => {
    fc.assert(
      fc.property(contentArb, (a) => contentChanges(a, structuredClone(a)).length === 0),
      { numRuns: 60 },
    )
  })

  it("applying the changes' after values to a's maps gives b's", () => {
    fc.assert(
      fc.property(contentArb, contentArb, (a, b) => {
        const changes = contentChanges(a, b)
        const apply = (start: ScalarMap, section: ContentChange['section']): ScalarMap => {
          const out = { ...start }
          for (const c of changes.filter((x) => x.section === section)) {
            if (c.after === null) delete out[c.key]
            else out[c.key] = c.after
          }
          return out
        }
        const rate = (m: ScalarMap) => ({ ...m, annualRatePct: Number(m.annualRatePct), originalAnnualRatePct: Number(m.originalAnnualRatePct) })
        expect(rate(apply(comparedTerms(a), 'terms'))).toEqual(rate(comparedTerms(b)))
        expect(rate(apply(a.baseline, 'baseline'))).toEqual(rate(b.baseline))
        expect(apply(comparedWaivers(a), 'waivers')).toEqual(comparedWaivers(b))
      }),
      { numRuns: 60 },
    )
  })
})

describe('readChanges', () => {
  it('keeps the well-formed changes of a stored list and leaves the rest out', () => {
    const good = { section: 'terms', key: 'upfrontFee', kind: 'money', before: 0, after: 300_000 }
    expect(readChanges([good, { ...good, kind: 'bogus' }, { ...good, before: {} }, null, 'x'])).toEqual([good])
    expect(readChanges(undefined)).toEqual([])
  })
})
