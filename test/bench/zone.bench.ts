// `npm run bench:zone`: time to find the settlement zone and its proposal over a realistic grid, median and p95.
import { loadavg } from 'node:os'
import { findZone, gridSize, zoneGrid, type BorrowerLimits, type LenderLimits, type ZoneInput } from '../../shared/zone/index.ts'

const GOAL_MS = 50
const WARMUP = 5
const RUNS = Number(process.env.ZONE_BENCH_RUNS ?? 40)

// A consumer loan in trouble: 120,000.00 owed, the proposal at 8 %, limits a borrower and a bank could enter.
const input: ZoneInput = { principal: 12_000_000, currentRatePct: '8', graceInterest: 'pay' }
const feasible = {
  borrower: { maxMonthly: 260_000, maxTermMonths: 72, oneOffNow: 1_000_000 } satisfies BorrowerLimits,
  lender: { minRecovery: 11_000_000, discountRatePct: '6', maxTermMonths: 60, minRatePct: '3', maxGraceMonths: 6 } satisfies LenderLimits,
}
// No zone: the bank's 48 months are too short for 2,300.00 a month; each side is told its own gap.
const infeasible = {
  borrower: { maxMonthly: 230_000, maxTermMonths: 72, oneOffNow: 1_000_000 } satisfies BorrowerLimits,
  lender: { minRecovery: 11_500_000, discountRatePct: '6', maxTermMonths: 48, minRatePct: '3', maxGraceMonths: 6 } satisfies LenderLimits,
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] as number
}

function measure(label: string, { borrower, lender }: { borrower: BorrowerLimits; lender: LenderLimits }): void {
  let last = findZone(input, borrower, lender)
  for (let i = 1; i < WARMUP; i++) last = findZone(input, borrower, lender)
  const samples: number[] = []
  const cpu: number[] = []
  for (let i = 0; i < RUNS; i++) {
    // One fen more each run, so nothing could be answered from a cache the engine does not have.
    const b = { ...borrower, maxMonthly: borrower.maxMonthly + (i % 7) }
    const c0 = process.cpuUsage()
    const t0 = performance.now()
    last = findZone(input, b, lender)
    samples.push(performance.now() - t0)
    const c = process.cpuUsage(c0)
    cpu.push((c.user + c.system) / 1000)
  }
  samples.sort((a, b) => a - b)
  cpu.sort((a, b) => a - b)
  const median = percentile(samples, 0.5)
  const p95 = percentile(samples, 0.95)
  const grid = zoneGrid(input, borrower, lender)
  console.log(`${label}: grid ${gridSize(grid)} candidates (${grid.methods.length} methods × terms 1..${grid.maxTerm} × grace 0..${grid.maxGrace} × ${grid.rates.length} rates × ${grid.oneOffs.length} one-offs), ${last.evaluated} schedules computed`)
  console.log(`  median ${median.toFixed(2)} ms   p95 ${p95.toFixed(2)} ms   (${RUNS} runs after ${WARMUP} warm-up)`)
  // On a shared machine wall time includes waiting for a core; CPU time (this process, GC threads too) does not.
  console.log(`  CPU time median ${percentile(cpu, 0.5).toFixed(2)} ms   p95 ${percentile(cpu, 0.95).toFixed(2)} ms   (load average ${loadavg()[0]?.toFixed(2)})`)
  if (last.feasible) {
    const p = last.proposal
    console.log(`  proposal: ${p.method}, ${p.termMonths} months, grace ${p.graceMonths}, ${p.terms.annualRatePct} %, one-off ${p.oneOff}; highest payment ${p.highestPayment}, PV ${p.presentValue}, surpluses ${p.borrowerSurplus} / ${p.lenderSurplus}`)
  } else {
    console.log(`  no zone: borrower ${JSON.stringify(last.borrower)}, lender ${JSON.stringify(last.lender)}`)
  }
  console.log(`  goal p95 ≤ ${GOAL_MS} ms: ${p95 <= GOAL_MS ? 'met' : 'NOT met'}`)
}

measure('feasible', feasible)
measure('infeasible', infeasible)
