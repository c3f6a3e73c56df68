import { describe, expect, it } from 'vitest'
import type { CliIo } from './command.ts'
import { main } from './main.ts'

function io(stdin = '') {
  const out: string[] = []
  const err: string[] = []
  const streams: CliIo = { readStdin: async () => stdin, stdout: (t) => void out.push(t), stderr: (t) => void err.push(t) }
  return { streams, out: () => out.join(''), err: () => err.join('') }
}

describe('cli dispatcher', () => {
  it('prints usage listing every command for an unknown command, exit 2', async () => {
    const s = io()
    expect(await main(['frobnicate'], s.streams)).toBe(2)
    expect(s.err()).toMatch(/unknown command: frobnicate/)
    expect(s.err()).toMatch(/^\s+terms\s/m)
    expect(s.err()).toMatch(/^\s+schedule\s/m)
    expect(s.out()).toBe('')
  })

  it('prints usage without a command (exit 2) and on help (exit 0)', async () => {
    const none = io()
    expect(await main([], none.streams)).toBe(2)
    expect(none.err()).toMatch(/^usage:/)
    const help = io()
    expect(await main(['--help'], help.streams)).toBe(0)
    expect(help.out()).toMatch(/^usage:/)
  })

  it('runs a command in-process with the given streams', async () => {
    const s = io('[{"principal": 120000, "annualRatePct": "12", "termMonths": 3, "method": "interest_only"}, {}]')
    expect(await main(['terms'], s.streams)).toBe(1)
    const out = JSON.parse(s.out()) as Array<Record<string, unknown>>
    expect(out[0]).toMatchObject({ totalInterest: 3_600, regularInstalment: 1_200 })
    expect(out[1]).toEqual({ error: '/principal: is required' })
  })

  it('does not treat object prototype names as commands', async () => {
    const s = io()
    expect(await main(['constructor'], s.streams)).toBe(2)
  })
})
