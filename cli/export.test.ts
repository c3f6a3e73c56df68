// `cli export <format> FILE`: the server's exports from a downloaded agreement, refused for one that does not verify.
import fs from 'node:fs'
import path from 'node:path'
import { parse } from 'csv-parse/sync'
import ICAL from 'ical.js'
import { describe, expect, it } from 'vitest'
import { buildAgreement } from '../server/agreement/buildAgreement.ts'
import { validateFineractReschedule, validateFineractLoanApplication } from '../server/export/fineract/fineract.schema.ts'
import { sampleContent, sampleLockInput } from '../test/support/agreement/sampleAgreement.ts'
import { suiteServerKey } from '../test/support/agreement/suiteServerKey.ts'
import { main } from './main.ts'

const key = suiteServerKey()
const content = sampleContent()
content.commitments['firstDueDate'] = '2025-04-20'
const agreement = buildAgreement(sampleLockInput(content), key)

function write(name: string, data: unknown): string {
  const file = path.join(key.dir, name)
  fs.writeFileSync(file, JSON.stringify(data))
  return file
}

const good = write('agreement.json', agreement)
const bundle = write('bundle.json', { format: 'negotiation-room-dispute-bundle', agreement, archive: {} })
const tampered = write('tampered.json', { ...agreement, title: 'Another loan' })

async function run(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = ''
  let stderr = ''
  const code = await main(['export', ...argv], { readStdin: async () => '', stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t) })
  return { code, stdout, stderr }
}

describe('cli export', () => {
  it('csv: one record per instalment', async () => {
    const r = await run('csv', good)
    expect(r.code).toBe(0)
    const records = parse(r.stdout, { columns: true }) as Record<string, string>[]
    expect(records.map((x) => Number(x['total_minor']))).toEqual(agreement.computed.payments.map((p) => p.payment))
    expect(records[0]!['due_date']).toBe('2025-04-20')
  })

  it('fineract: a restructuring becomes a reschedule, notes on stderr; --as loan a loan application', async () => {
    const r = await run('fineract', bundle, '--loan-id', '4711', '--reschedule-reason-id', '12', '--part', 'body')
    expect(r.code).toBe(0)
    const body = JSON.parse(r.stdout) as unknown
    expect(validateFineractReschedule(body)).toMatchObject({ ok: true, value: { loanId: 4711, rescheduleReasonId: 12, rescheduleFromDate: '2025-04-20' } })
    expect(r.stderr).toMatch(/note capitalized_grace: /)
    expect(r.stderr).toMatch(/note arrears_not_capitalized: /)
    const loan = await run('fineract', good, '--as', 'loan', '--client-id', '9')
    const out = JSON.parse(loan.stdout) as { endpoint: string; body: unknown; exact: boolean }
    expect(out.endpoint).toBe('POST /loans')
    expect(validateFineractLoanApplication(out.body)).toMatchObject({ ok: true, value: { clientId: 9, principal: '120000.00' } })
  })

  it('ics in Chinese, json with the record untouched', async () => {
    const ics = await run('ics', good, '--lang', 'zh')
    const events = new ICAL.Component(ICAL.parse(ics.stdout)).getAllSubcomponents('vevent')
    expect(events).toHaveLength(agreement.computed.payments.filter((p) => p.payment > 0).length)
    expect(String(events[0]!.getFirstPropertyValue('summary'))).toMatch(/^第 4 期还款（共 36 期）/)
    const json = await run('json', good)
    expect(JSON.parse(json.stdout).agreement).toEqual(agreement)
  })

  it('refuses an agreement that does not verify, and bad usage', async () => {
    const bad = await run('csv', tampered)
    expect(bad.code).toBe(1)
    expect(bad.stdout).toBe('')
    expect(bad.stderr).toContain('is not a valid signed agreement')
    expect((await run('pdf', good)).code).toBe(2)
    expect((await run('fineract', good, '--client-id', 'abc')).stderr).toContain('/clientId: must match pattern')
    expect((await run('csv', good, '--lang', 'fr')).code).toBe(2)
  })
})
