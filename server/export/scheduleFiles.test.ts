// The CSV and the calendar parse back with independent libraries and say what the schedule says.
import { parse } from 'csv-parse/sync'
import ICAL from 'ical.js'
import { describe, expect, it } from 'vitest'
import { exportAgreement } from '../../test/support/export/exportAgreement.ts'
import { agreementExport } from './agreementExport.ts'
import { exportSchedule } from './exportSchedule.ts'
import { paymentCalendar, REMINDER_DAYS_BEFORE } from './paymentCalendar.ts'
import { CSV_COLUMNS, csvField, scheduleCsv } from './scheduleCsv.ts'

const GRACE_LOAN = { principal: 12_000_000, annualRatePct: '4.35', termMonths: 36, method: 'annuity', graceMonths: 3, graceInterest: 'capitalize', upfrontFee: 120_000 } as const

describe('schedule CSV', () => {
  const agreement = exportAgreement(GRACE_LOAN, { firstDueDate: '2025-01-31' })
  const schedule = exportSchedule(agreement)

  it('parses back (RFC 4180) to one record per instalment with the schedule in minor units and formatted', () => {
    const text = scheduleCsv(schedule.lines, agreement.currency, 'en')
    expect(text.endsWith('\r\n')).toBe(true)
    const records = parse(text, { columns: true }) as Record<string, string>[]
    expect(Object.keys(records[0]!)).toEqual([...CSV_COLUMNS])
    expect(records).toHaveLength(36)
    records.forEach((r, i) => {
      const row = agreement.computed.payments[i]!
      expect(Number(r['period'])).toBe(row.period)
      expect(Number(r['principal_minor'])).toBe(row.principal)
      expect(Number(r['interest_minor'])).toBe(row.interest)
      expect(Number(r['total_minor'])).toBe(row.payment)
      expect(Number(r['balance_minor'])).toBe(row.balance)
      expect(Number(r['fee_minor'])).toBe(0)
      expect(r['currency']).toBe('CNY')
      expect(r['due_date']).toBe(row.dueDate)
      // The readable column is the same amount: grouping removed, the decimals shifted.
      expect(Math.round(Number(r['total']!.replace(/,/g, '')) * 100)).toBe(row.payment)
    })
    expect(records[3]!['due_date']).toBe('2025-04-30')
    expect(records[35]!['balance_minor']).toBe('0')
    expect(records.reduce((s, r) => s + Number(r['total_minor']), 0)).toBe(agreement.computed.totalPaid)
  })

  it('quotes what needs quoting', () => {
    expect(csvField('12,000.00')).toBe('"12,000.00"')
    expect(csvField('say "hi"')).toBe('"say ""hi"""')
    expect(csvField('a\r\nb')).toBe('"a\r\nb"')
    expect(csvField('2025-01-31')).toBe('2025-01-31')
    const text = scheduleCsv(schedule.lines, 'CNY', 'zh-CN')
    expect(text.split('\r\n')[4]).toMatch(/^4,2025-04-30,CNY,\d+,\d+,0,\d+,\d+,"\d{1,3}(,\d{3})*\.\d\d",/)
  })
})

describe('payment calendar (.ics)', () => {
  function parsed(text: string) {
    return new ICAL.Component(ICAL.parse(text)).getAllSubcomponents('vevent').map((c) => new ICAL.Event(c))
  }

  it('has one event per payment, on its due date, with its amount and a reminder two days before', () => {
    const agreement = exportAgreement(GRACE_LOAN, { firstDueDate: '2025-01-31' })
    const schedule = exportSchedule(agreement)
    const events = parsed(paymentCalendar(agreement, schedule, 'en'))
    const payments = agreement.computed.payments.filter((p) => p.payment > 0)
    // The three capitalised grace months pay nothing: no event.
    expect(events).toHaveLength(33)
    events.forEach((event, i) => {
      const row = payments[i]!
      expect(event.startDate.isDate).toBe(true)
      expect(event.startDate.toString()).toBe(row.dueDate)
      expect(event.summary).toBe(`Loan payment ${row.period} of 36: ${new Intl.NumberFormat('en', { style: 'currency', currency: 'CNY' }).format(row.payment / 100)}`)
      expect(event.description).toContain('Principal CN¥')
      const alarm = event.component.getFirstSubcomponent('valarm')!
      expect(alarm.getFirstPropertyValue('action')).toBe('DISPLAY')
      const trigger = alarm.getFirstPropertyValue('trigger') as ICAL.Duration
      expect(trigger.toSeconds()).toBe(-REMINDER_DAYS_BEFORE * 86_400)
    })
    expect(new Set(events.map((e) => e.uid)).size).toBe(33)
  })

  it('speaks Chinese when asked, and says when the dates are assumed', () => {
    const agreement = exportAgreement({ principal: 1_000_000, annualRatePct: '6', termMonths: 3, method: 'bullet' }, { lockedAt: '2025-01-31T10:00:00.000Z' })
    const schedule = exportSchedule(agreement)
    expect(schedule.datesSource).toBe('assumed')
    const [event, ...rest] = parsed(paymentCalendar(agreement, schedule, 'zh'))
    expect(rest).toHaveLength(0)
    expect(event!.summary).toBe('第 3 期还款（共 3 期）：¥10,150.00')
    expect(event!.startDate.toString()).toBe('2025-04-28')
    expect(event!.description).toContain('协议未约定首个还款日')
  })
})

describe('agreement JSON', () => {
  it('carries the signed record untouched and the dated schedule', () => {
    const agreement = exportAgreement(GRACE_LOAN, { firstDueDate: '2025-01-31' })
    const out = JSON.parse(JSON.stringify(agreementExport(agreement, exportSchedule(agreement))))
    expect(out.agreement).toEqual(agreement)
    expect(out.schedule.lines).toHaveLength(36)
    expect(out.schedule.lines[0]).toEqual({ period: 1, dueDate: '2025-01-31', principal: 0, interest: 43_500, fee: 0, total: 0, balance: 12_043_500 })
    expect(out.schedule).toMatchObject({ currency: 'CNY', firstDueDate: '2025-01-31', datesSource: 'agreed' })
  })
})
