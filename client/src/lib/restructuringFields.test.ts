import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { checkContent } from '../../../shared/content/validateContent.ts'
import { readContent, writeMap, type ScalarMap } from '../../../shared/document/roomDoc.ts'
import { HAND_BASELINE, handContent } from '../../../test/support/restructuring/example.ts'
import {
  applyPatch,
  baselineFieldProblem,
  checkBaselineDraft,
  emptyBaselineDraft,
  lapsePatch,
  parseDate,
  parseField,
  reasonMessage,
  restructuringErrors,
  restructuringFieldKey,
  totalOwed,
  validBaseline,
  waiverAmountProblem,
  waiverRows,
} from './restructuringFields.ts'
import { checkDraft, emptyDraft } from '../lobby/termsDraft.ts'

const f = { money: (m: number) => `¥${m / 100}`, date: (d: string) => `[${d}]` }
const baseline = HAND_BASELINE as unknown as ScalarMap

describe('restructuring inputs ↔ the shared maps', () => {
  it('reads dates, days and amounts as the maps hold them', () => {
    expect(parseDate('2025-02-28')).toEqual({ ok: true, value: '2025-02-28' })
    expect(parseDate('2025-02-30')).toEqual({ ok: false, message: { key: 'valid.date' } })
    expect(parseDate('')).toEqual({ ok: false, message: { key: 'valid.required' } })
    expect(parseField('days', '75', 2)).toEqual({ ok: true, value: 75 })
    expect(parseField('days', '7.5', 2)).toEqual({ ok: false, message: { key: 'valid.days' } })
    expect(parseField('amount', '2,900.00', 2)).toEqual({ ok: true, value: 290_000 })
    expect(parseField('amount', '1.234', 2)).toEqual({ ok: false, message: { key: 'valid.decimals', params: { digits: 2 } } })
  })

  it('a field typed in the room lands in Y.Map("baseline") exactly as the content model reads it', () => {
    const doc = new Y.Doc()
    writeMap(doc, 'baseline', baseline)
    const typed = parseField('amount', '50', 2)
    expect(typed.ok).toBe(true)
    if (!typed.ok) return
    writeMap(doc, 'baseline', { penaltyInterest: typed.value })
    expect(readContent(doc).baseline).toEqual({ ...baseline, penaltyInterest: 5_000 })
    expect(applyPatch(baseline, { penaltyInterest: 5_000, fees: undefined })).toEqual({ ...applyPatch(baseline, { fees: undefined }), penaltyInterest: 5_000 })
    doc.destroy()
  })

  it('refuses a baseline value only for the field being changed', () => {
    expect(baselineFieldProblem(baseline, 'outstandingPrincipal', 0)).toEqual({ key: 'valid.outstandingPrincipal' })
    expect(baselineFieldProblem(baseline, 'asOfDate', '2025-13-01')).toEqual({ key: 'valid.date' })
    expect(baselineFieldProblem(baseline, 'fees', 10 ** 13)).toEqual({ key: 'valid.tooLarge' })
    expect(baselineFieldProblem(baseline, 'fees', 2_000)).toBeNull()
    // A problem elsewhere (a missing date) does not block writing this field.
    const { asOfDate: _d, ...noDate } = baseline
    expect(baselineFieldProblem(noDate, 'fees', 2_000)).toBeNull()
  })

  it('refuses a waiver larger than its category, with the category amount', () => {
    const b = validBaseline(baseline)
    expect(waiverAmountProblem(b, 'penaltyInterest', 3_000, f.money)).toBeNull()
    expect(waiverAmountProblem(b, 'penaltyInterest', 3_001, f.money)).toEqual({ key: 'valid.waiverTooLarge', params: { amount: '¥30' } })
    expect(waiverAmountProblem(null, 'fees', 10, f.money)).toBeNull()
  })

  it('puts every content error beside its field, in calm words', () => {
    const content = { ...handContent(), waivers: { fees: 2_000, feesReason: 'x' }, commitments: { firstDueDate: '2025-01-01' } }
    const { errors } = checkContent(content) as { errors: string[] }
    const placed = restructuringErrors([...errors, '/commitments/firstDueDate: must be after the baseline asOfDate (2025-02-28)'], f)
    expect(placed['waivers.fees']).toEqual({ key: 'valid.waiverTooLarge', params: { amount: '¥10' } })
    expect(placed['commitments.firstDueDate']).toEqual({ key: 'valid.firstDueDate', params: { date: '[2025-02-28]' } })
    expect(restructuringErrors(['/waivers/feesReason: is required when fees is waived'], f)).toEqual({ 'waivers.feesReason': { key: 'valid.waiverReason' } })
    expect(restructuringErrors(['/terms/termMonths: must be >= 1'], f)).toEqual({})
    expect(reasonMessage('commitments/missedPaymentsBeforeLapse', 'must be <= termMonths (3)')).toEqual({ key: 'valid.missedPayments', params: { n: 3 } })
    expect(reasonMessage('baseline/originalMethod', 'is required while the original contract has months remaining')).toEqual({ key: 'valid.originalMethod' })
    expect(reasonMessage('x/y', 'something new')).toEqual({ key: 'valid.other', params: { reason: 'something new' } })
  })

  it('lists the waivers in order and switches the missed-payment rule as one term', () => {
    expect(waiverRows({ fees: 100, feesReason: 'goodwill' })).toEqual([
      { category: 'accruedInterest', amount: 0, reason: '' },
      { category: 'penaltyInterest', amount: 0, reason: '' },
      { category: 'fees', amount: 100, reason: 'goodwill' },
    ])
    expect(lapsePatch(true, {})).toEqual({ missedPaymentsBeforeLapse: 2, lapseRestoresBaseline: true })
    expect(lapsePatch(true, { missedPaymentsBeforeLapse: 3, lapseRestoresBaseline: false })).toEqual({ missedPaymentsBeforeLapse: 3, lapseRestoresBaseline: false })
    expect(lapsePatch(false, { missedPaymentsBeforeLapse: 3 })).toEqual({ missedPaymentsBeforeLapse: undefined, lapseRestoresBaseline: undefined })
  })

  it('names the field someone is editing', () => {
    expect(restructuringFieldKey('baseline.fees')).toBe('baseline.fees')
    expect(restructuringFieldKey('waivers.penaltyInterestReason')).toBe('waivers.reason')
    expect(restructuringFieldKey('commitments.firstDueDate')).toBe('commit.firstDueDate')
    expect(restructuringFieldKey('terms.principal')).toBeNull()
  })
})

describe('the lobby: a baseline typed before the room exists', () => {
  const typed = {
    ...emptyBaselineDraft(),
    outstandingPrincipal: '2900',
    accruedInterest: '60',
    penaltyInterest: '30',
    fees: '10',
    daysPastDue: '75',
    asOfDate: '2025-02-28',
    originalAnnualRatePct: '12',
    originalRemainingMonths: '3',
  }

  it('turns the text into the baseline the server expects', () => {
    const r = checkBaselineDraft(typed, 2)
    expect(r).toEqual({ ok: true, baseline: HAND_BASELINE })
    if (r.ok) expect(totalOwed(r.baseline)).toBe(300_000)
    // Nothing left on the original contract: no method is sent.
    const matured = checkBaselineDraft({ ...typed, originalRemainingMonths: '0' }, 2)
    expect(matured.ok && matured.baseline.originalMethod).toBe(undefined)
  })

  it('puts each problem beside its field', () => {
    const r = checkBaselineDraft({ ...typed, outstandingPrincipal: '', asOfDate: '2025-02-31', daysPastDue: 'x' }, 2)
    expect(r).toEqual({
      ok: false,
      errors: { outstandingPrincipal: { key: 'valid.required' }, asOfDate: { key: 'valid.date' }, daysPastDue: { key: 'valid.days' } },
    })
    expect(checkBaselineDraft({ ...typed, outstandingPrincipal: '0' }, 2)).toEqual({ ok: false, errors: { outstandingPrincipal: { key: 'valid.outstandingPrincipal' } } })
  })

  it('checks the starting terms against the computed principal, which is never typed', () => {
    const d = { ...emptyDraft(), principal: '', annualRatePct: '0', termMonths: '3', upfrontFee: '0' }
    expect(checkDraft(d, 2, 300_000)).toEqual({ ok: true, terms: { principal: 300_000, annualRatePct: '0', termMonths: 3, method: 'annuity', graceMonths: 0, upfrontFee: 0 } })
    expect(checkDraft({ ...d, upfrontFee: '3000' }, 2, 300_000)).toMatchObject({ ok: false, errors: { upfrontFee: { key: 'valid.upfrontFee' } } })
  })
})
