import { describe, expect, it } from 'vitest'
import { LatencyHistogram } from './LatencyHistogram.ts'

describe('LatencyHistogram', () => {
  it('summarises milliseconds at microsecond resolution', () => {
    const h = new LatencyHistogram()
    expect(h.summary()).toEqual({ count: 0, p50: 0, p90: 0, p99: 0, max: 0 })
    for (let i = 1; i <= 100; i++) h.record(i / 10) // 0.1 … 10 ms
    const s = h.summary()
    expect(s.count).toBe(100)
    expect(s.p50).toBeCloseTo(5, 1)
    expect(s.p99).toBeCloseTo(9.9, 1)
    expect(s.max).toBeCloseTo(10, 1)
    h.reset()
    expect(h.summary().count).toBe(0)
  })

  it('counts a duration too short to measure as one microsecond', () => {
    const h = new LatencyHistogram()
    h.record(0)
    h.since(performance.now())
    expect(h.summary().count).toBe(2)
  })
})
