// GET /api/rooms/:id/export/{fineract,csv,json,ics} on a real server: 409 before the lock, the files after it
// (any token of the room), refused to other rooms' tokens; the files parse back and match the signed schedule.
import { parse } from 'csv-parse/sync'
import ICAL from 'ical.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Agreement } from '../../shared/agreement/agreement.ts'
import type { FineractExport } from '../../server/export/fineract/fineractTypes.ts'
import type { CreateRoomResponse } from '../../shared/protocol/http.ts'
import { validateFineractLoanApplication, validateFineractReschedule } from '../../server/export/fineract/fineract.schema.ts'
import { joinAndLock, type Party } from '../helpers/negotiation.ts'
import { invite, startTestServer, type TestServer } from '../helpers/server.ts'
import { HAND_BASELINE, HAND_COMMITMENTS, HAND_PLAN, HAND_WAIVERS } from '../support/restructuring/example.ts'

const FORMATS = ['fineract', 'csv', 'json', 'ics'] as const

let server: TestServer
let loan: CreateRoomResponse
let plan: CreateRoomResponse
let open: CreateRoomResponse
const parties: Party[] = []

function get(roomId: string, format: string, token?: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${server.url}/api/rooms/${roomId}/export/${format}`, { headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...headers } })
}

async function agreementOf(room: CreateRoomResponse): Promise<Agreement> {
  const res = await fetch(`${server.url}/api/rooms/${room.roomId}/agreement`, { headers: { Authorization: `Bearer ${invite(room, 'observer')}` } })
  return (await res.json()) as Agreement
}

async function locked(room: CreateRoomResponse): Promise<void> {
  await joinAndLock(server, room, parties)
}

beforeAll(async () => {
  server = await startTestServer()
  loan = await server.createRoom({
    title: 'Home loan, "first" flat',
    terms: { principal: 12_000_000, annualRatePct: '4.35', termMonths: 24, method: 'equal_principal', graceMonths: 2, graceInterest: 'pay', upfrontFee: 60_000 },
    commitments: { firstDueDate: '2025-01-31' },
  })
  plan = await server.createRoom({ title: 'Restructuring', terms: HAND_PLAN, baseline: HAND_BASELINE, waivers: HAND_WAIVERS, commitments: { ...HAND_COMMITMENTS, creditReporting: 'restructured_current' } })
  open = await server.createRoom()
  await locked(loan)
  await locked(plan)
}, 30_000)

afterAll(async () => {
  for (const p of parties) p.close()
  await server.close()
})

describe('exports before and around the lock', () => {
  it.each(FORMATS)('%s: 409 not_locked before the lock, 401 without a token, 403 with another room’s', async (format) => {
    const before = await get(open.roomId, format, invite(open, 'borrower'))
    expect(before.status).toBe(409)
    expect(await before.json()).toMatchObject({ error: 'not_locked' })
    expect((await get(loan.roomId, format)).status).toBe(401)
    const other = await get(loan.roomId, format, invite(open, 'lender'))
    expect(other.status).toBe(403)
    expect(await other.json()).toMatchObject({ error: 'forbidden' })
    for (const role of ['borrower', 'lender', 'observer'] as const) expect((await get(loan.roomId, format, invite(loan, role))).status).toBe(200)
  })
})

describe('the files', () => {
  it('csv: the signed schedule, one record per instalment, named and typed as a download', async () => {
    const res = await get(loan.roomId, 'csv', invite(loan, 'borrower'))
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8; header=present')
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="schedule-${loan.roomId}.csv"`)
    expect(res.headers.get('x-export-notes')).toBeNull()
    const records = parse(await res.text(), { columns: true }) as Record<string, string>[]
    const agreement = await agreementOf(loan)
    expect(records.map((r) => [r['due_date'], Number(r['principal_minor']), Number(r['interest_minor']), Number(r['total_minor']), Number(r['balance_minor'])])).toEqual(
      agreement.computed.payments.map((p) => [p.dueDate, p.principal, p.interest, p.payment, p.balance]),
    )
  })

  it('json: the signed record, byte for byte what GET …/agreement gives, plus the dated schedule', async () => {
    const res = await get(loan.roomId, 'json', invite(loan, 'observer'))
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="agreement-${loan.roomId}.json"`)
    const body = (await res.json()) as { format: string; agreement: Agreement; schedule: { lines: unknown[] } }
    expect(body.format).toBe('negotiation-room-agreement-export')
    expect(body.agreement).toEqual(await agreementOf(loan))
    expect(body.schedule.lines).toHaveLength(24)
  })

  it('ics: the payment dates with amounts and a reminder, in the language asked for (or Accept-Language)', async () => {
    const res = await get(loan.roomId, 'ics', invite(loan, 'borrower'), { 'Accept-Language': 'zh-CN,zh;q=0.9,en;q=0.5' })
    expect(res.headers.get('content-type')).toBe('text/calendar; charset=utf-8')
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="payments-${loan.roomId}-zh.ics"`)
    const events = new ICAL.Component(ICAL.parse(await res.text())).getAllSubcomponents('vevent').map((c) => new ICAL.Event(c))
    const payments = (await agreementOf(loan)).computed.payments
    expect(events.map((e) => e.startDate.toString())).toEqual(payments.map((p) => p.dueDate))
    expect(events[0]!.summary).toBe('第 1 期还款（共 24 期）：¥435.00')
    expect(events.every((e) => e.component.getFirstSubcomponent('valarm') !== null)).toBe(true)
    const en = await get(loan.roomId, 'ics?lang=en', invite(loan, 'borrower'), { 'Accept-Language': 'zh-CN' })
    expect(await en.text()).toContain('SUMMARY:Loan payment 1 of 24')
  })

  it('fineract, new loan: a loan application that validates, with the fee said and the ids configurable', async () => {
    const res = await get(loan.roomId, 'fineract?clientId=301&productId=4', invite(loan, 'lender'))
    expect(res.status).toBe(200)
    expect(res.headers.get('x-fineract-endpoint')).toBe('POST /loans')
    expect(res.headers.get('x-fineract-exact')).toBe('true')
    expect(res.headers.get('x-export-notes')).toBe('upfront_fee')
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="fineract-loan-${loan.roomId}.json"`)
    const out = (await res.json()) as FineractExport
    expect(validateFineractLoanApplication(out.body)).toMatchObject({
      ok: true,
      value: { clientId: 301, productId: 4, principal: '120000.00', amortizationType: 0, graceOnPrincipalPayment: 2, repaymentsStartingFromDate: '2025-01-31' },
    })
    const body = await get(loan.roomId, 'fineract?part=body&feeChargeId=2', invite(loan, 'lender'))
    expect(await body.json()).toMatchObject({ charges: [{ chargeId: 2, amount: '600.00' }] })
    const bad = await get(loan.roomId, 'fineract?clientId=0', invite(loan, 'lender'))
    expect(bad.status).toBe(400)
    expect(await bad.json()).toMatchObject({ error: 'invalid_payload', message: '/clientId: must match pattern "^[1-9][0-9]{0,14}$"' })
  })

  it('fineract, restructuring: a reschedule of the existing loan, saying what it cannot carry', async () => {
    const res = await get(plan.roomId, 'fineract?loanId=77', invite(plan, 'lender'))
    expect(res.headers.get('x-fineract-endpoint')).toBe('POST /rescheduleloans')
    // The accrued interest (6,000) is not waived: a reschedule cannot fold it into the principal.
    expect(res.headers.get('x-fineract-exact')).toBe('false')
    expect(res.headers.get('x-export-notes')).toContain('arrears_not_capitalized')
    const out = (await res.json()) as FineractExport
    expect(validateFineractReschedule(out.body)).toMatchObject({ ok: true, value: { loanId: 77, rescheduleFromDate: HAND_COMMITMENTS.firstDueDate, newInterestRate: 0 } })
    const refinance = await get(plan.roomId, 'fineract?as=loan&clientId=5', invite(plan, 'borrower'))
    expect(refinance.headers.get('x-fineract-endpoint')).toBe('POST /loans')
    expect(refinance.headers.get('x-fineract-exact')).toBe('true')
  })
})
