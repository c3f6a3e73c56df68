import { describe, expect, it } from 'vitest'
import { addMonths, dueDate } from './dates.ts'

describe('due dates', () => {
  it('keeps the anchor day, clamping to short months without drifting', () => {
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29') // leap year
    expect(addMonths('2023-01-31', 1)).toBe('2023-02-28')
    expect(addMonths('2024-01-31', 2)).toBe('2024-03-31') // back to the 31st, not the 29th
    expect(addMonths('2024-11-15', 3)).toBe('2025-02-15')
    expect(addMonths('2024-03-31', -1)).toBe('2024-02-29')
    expect(dueDate('2025-01-31', 1)).toBe('2025-01-31')
    expect(dueDate('2025-01-31', 360)).toBe('2054-12-31')
  })

  it('refuses dates that do not exist', () => {
    for (const bad of ['2023-02-29', '2024-13-01', '2024-1-1', '20240101', '']) expect(() => addMonths(bad, 1), bad).toThrow(RangeError)
  })
})
