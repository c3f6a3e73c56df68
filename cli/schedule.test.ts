import { describe, expect, it } from 'vitest'
import type { CliIo } from './command.ts'
import { main } from './main.ts'
import { parseScheduleArgs } from './schedule.ts'

async function run(args: string[]) {
  const out: string[] = []
  const err: string[] = []
  const streams: CliIo = { readStdin: async () => '', stdout: (t) => void out.push(t), stderr: (t) => void err.push(t) }
  const code = await main(['schedule', ...args], streams)
  return { code, out: out.join(''), err: err.join('') }
}

describe('cli schedule', () => {
  it('prints an aligned table and the summary a borrower asks about', async () => {
    // 1,200.00 at 12 % over 3 months: 408.03 / 408.03 / 408.02 (see annuity.test.ts).
    const { code, out } = await run(['--principal', '120000', '--rate', '12', '--term', '3', '--locale', 'en-US'])
    expect(code).toBe(0)
    const lines = out.split('\n')
    expect(lines[0]).toMatch(/^Period\s+Payment \(CNY\)\s+Principal\s+Interest\s+Balance$/)
    const rows = lines.slice(2, 5)
    expect(rows).toHaveLength(3)
    expect(new Set(rows.map((l) => l.length)).size).toBe(1) // every row as wide: columns line up
    expect(rows[0]).toMatch(/^\s+1\s+408\.03\s+396\.03\s+12\.00\s+803\.97$/)
    expect(rows[2]).toMatch(/^\s+3\s+408\.02\s+403\.98\s+4\.04\s+0\.00$/)
    expect(out).toMatch(/Instalment\s+CN¥408\.03/)
    expect(out).toMatch(/Last payment\s+CN¥408\.02/)
    expect(out).toMatch(/Total interest\s+CN¥24\.08/)
    expect(out).toMatch(/Total paid\s+CN¥1,224\.08/)
    expect(out).toMatch(/APR\s+12\.0002%/)
    expect(out).toMatch(/EAR\s+12\.6828%/)
  })

  it('shows grace, fee, due dates and the currency’s own minor digits', async () => {
    const { code, out } = await run([
      '--principal', '1200000', '--rate', '12', '--term', '4', '--grace', '1', '--grace-interest', 'pay',
      '--fee', '12000', '--currency', 'jpy', '--locale', 'en-US', '--start', '2025-01-31',
    ])
    expect(code).toBe(0)
    // JPY has no minor digits: 1,200,000 yen; A = 1,200,000 × 0.01 × 1.030301 / 0.030301 = 408,026.53 → 408,027.
    expect(out).toMatch(/^\s+2\s+2025-02-28\s+408,027\s/m)
    expect(out).toMatch(/Grace\s+1 month, interest paid monthly/)
    expect(out).toMatch(/Upfront fee\s+¥12,000 \(you receive ¥1,188,000\)/)
  })

  it('names the option at fault and exits 2', async () => {
    const bad = await run(['--principal', '1000', '--rate', '12', '--term', '700'])
    expect(bad.code).toBe(2)
    expect(bad.err).toMatch(/^schedule: --term: \/termMonths: must be <= 600/)
    expect((await run(['--principal', '10.5', '--rate', '1', '--term', '1'])).err).toMatch(/--principal: must be a whole number/)
    expect((await run(['--rate', '1', '--term', '1'])).err).toMatch(/--principal is required/)
    expect((await run(['--principal', '1', '--rate', '1', '--term', '1', '--currency', 'XX'])).code).toBe(2)
    expect((await run(['--principal', '1', '--rate', '1', '--term', '1', '--bogus'])).code).toBe(2)
  })

  it('parses options into validated terms', () => {
    const p = parseScheduleArgs(['--principal', '100000000', '--rate', '4.35', '--term', '360', '--grace', '6', '--fee', '200000'])
    expect(p).toMatchObject({
      ok: true,
      options: {
        terms: { principal: 100_000_000, annualRatePct: '4.35', termMonths: 360, method: 'annuity', graceMonths: 6, graceInterest: 'capitalize', upfrontFee: 200_000 },
        currency: 'CNY',
      },
    })
  })
})
