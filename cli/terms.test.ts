import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('..', import.meta.url))

function cli(args: string[], input: string) {
  const res = spawnSync('npx', ['tsx', 'cli/main.ts', ...args], { cwd: root, input, encoding: 'utf8', timeout: 60_000 })
  return { code: res.status, stdout: res.stdout, stderr: res.stderr }
}

describe('cli terms (spawned)', () => {
  it('answers a mixed array in order: results for valid items, {error} for invalid ones, exit 1', () => {
    const input = [
      { principal: 100_000_000, annualRatePct: '4.9', termMonths: 360, method: 'annuity' },
      { principal: 100_000_000, annualRatePct: '4.9', termMonths: 601, method: 'annuity' },
      { principal: 120_000, annualRatePct: '12', termMonths: 3, method: 'bullet' },
      'not terms',
    ]
    const { code, stdout } = cli(['terms'], JSON.stringify(input))
    expect(code).toBe(1)
    const out = JSON.parse(stdout) as Array<Record<string, unknown>>
    expect(out).toHaveLength(4)
    expect(out[0]).toMatchObject({ totalPaid: expect.any(Number), aprPct: '4.9000', earPct: '5.0116' })
    expect((out[0]?.['payments'] as unknown[]).length).toBe(360)
    expect((out[0]?.['payments'] as Array<Record<string, number>>)[0]).toEqual({
      period: 1,
      payment: 530_727,
      principal: 122_394,
      interest: 408_333,
      balance: 99_877_606,
    })
    expect(out[1]).toEqual({ error: '/termMonths: must be <= 600' })
    expect(out[2]).toMatchObject({ totalPaid: 123_600, totalInterest: 3_600 })
    expect(out[3]).toEqual({ error: '/: must be object' })
  }, 60_000)

  it('exits 0 when every item is valid, and 2 with a message when stdin is not a JSON array', () => {
    const ok = cli(['terms'], JSON.stringify([{ principal: 100_000, annualRatePct: '0', termMonths: 3, method: 'annuity' }]))
    expect(ok.code).toBe(0)
    expect((JSON.parse(ok.stdout) as Array<{ totalPaid: number }>)[0]?.totalPaid).toBe(100_000)

    const notArray = cli(['terms'], '{"principal": 1}')
    expect(notArray.code).toBe(2)
    expect(notArray.stdout).toBe('')
    expect(notArray.stderr).toMatch(/expected a JSON array/)

    const broken = cli(['terms'], '[{"principal": ')
    expect(broken.code).toBe(2)
    expect(broken.stderr).toMatch(/not valid JSON/)
  }, 60_000)
})
