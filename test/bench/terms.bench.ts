// `npm run bench:terms`: median and p95 time of one 360-month annuity schedule with APR and EAR.
import { computeSchedule } from '../../shared/terms/index.ts'
import type { Terms } from '../../shared/terms/types.ts'

const GOAL_MEDIAN_US = 100
const WARMUP = 3_000
const ITERATIONS = 20_000

const terms: Terms = { principal: 100_000_000, annualRatePct: '4.35', termMonths: 360, method: 'annuity' }

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] as number
}

let sink = 0
for (let i = 0; i < WARMUP; i++) sink += computeSchedule(terms).totalPaid

const samples = new Float64Array(ITERATIONS)
for (let i = 0; i < ITERATIONS; i++) {
  // Vary the principal by one fen so no call can be answered from a cache the engine does not have.
  const t0 = performance.now()
  const r = computeSchedule({ ...terms, principal: terms.principal + (i & 1023) })
  samples[i] = (performance.now() - t0) * 1000
  sink += r.totalPaid + r.aprPct.length + r.earPct.length
}
samples.sort()
const median = percentile(samples, 0.5)
const p95 = percentile(samples, 0.95)
const mean = samples.reduce((a, b) => a + b, 0) / samples.length

console.log(`terms bench: 360-month annuity schedule + APR + EAR, ${ITERATIONS} iterations after ${WARMUP} warm-up`)
console.log(`  median ${median.toFixed(1)} µs   p95 ${p95.toFixed(1)} µs   mean ${mean.toFixed(1)} µs`)
console.log(`  goal median ≤ ${GOAL_MEDIAN_US} µs: ${median <= GOAL_MEDIAN_US ? 'met' : 'NOT met'}`)
if (sink === -1) console.log('unreachable') // keeps the results observable so the work is not optimised away
