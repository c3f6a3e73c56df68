import { describe, expect, it } from 'vitest'
import { CREDIT_REPORTING } from '../restructuring/commitments.ts'
import { validateCommitments } from './commitments.schema.ts'

function errorOf(x: unknown): string {
  const r = validateCommitments(x)
  return r.ok ? 'ok' : r.error
}

describe('validateCommitments', () => {
  it('accepts none, some or all of the commitments', () => {
    expect(errorOf({})).toBe('ok')
    expect(errorOf({ firstDueDate: '2025-04-15' })).toBe('ok')
    for (const creditReporting of CREDIT_REPORTING) {
      expect(
        errorOf({
          firstDueDate: '2025-04-15',
          noCollectionCalls: true,
          noHomeVisits: false,
          creditReporting,
          missedPaymentsBeforeLapse: 2,
          lapseRestoresBaseline: true,
        }),
      ).toBe('ok')
    }
  })

  it.each([
    [{ noCollectionCalls: 'yes' }, '/noCollectionCalls: must be boolean'],
    [{ noHomeVisits: 1 }, '/noHomeVisits: must be boolean'],
    [{ creditReporting: 'deleted' }, '/creditReporting: must be one of restructured_current, restructured_flagged, no_change'],
    [{ missedPaymentsBeforeLapse: 0, lapseRestoresBaseline: true }, '/missedPaymentsBeforeLapse: must be >= 1'],
    [{ missedPaymentsBeforeLapse: 2.5, lapseRestoresBaseline: true }, '/missedPaymentsBeforeLapse: must be integer'],
    [{ missedPaymentsBeforeLapse: 2 }, '/lapseRestoresBaseline: is required with missedPaymentsBeforeLapse'],
    [{ lapseRestoresBaseline: false }, '/missedPaymentsBeforeLapse: is required with lapseRestoresBaseline'],
    [{ firstDueDate: '2025-13-01' }, '/firstDueDate: must be a date YYYY-MM-DD'],
    [{ homeVisitsPerMonth: 0 }, '/homeVisitsPerMonth: is not allowed'],
  ])('refuses %j with %s', (x, error) => {
    expect(errorOf(x)).toBe(error)
  })
})
