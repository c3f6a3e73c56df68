// The borrower's calendar: one all-day event per payment with its amount, and a reminder two days before (ics).
import { createEvents, type EventAttributes } from 'ics'
import { fingerprint, type Agreement } from '../../shared/agreement/agreement.ts'
import { formatMoney } from '../../shared/format/money.ts'
import type { AgreementLang } from '../../shared/i18n/agreementText.ts'
import { CALENDAR_TEXT } from './calendarText.ts'
import type { ExportSchedule } from './exportSchedule.ts'

export const REMINDER_DAYS_BEFORE = 2

function dateArray(day: string): [number, number, number] {
  const [y, m, d] = day.split('-').map(Number)
  return [y!, m!, d!]
}

/** Stable per agreement and period, so importing a newer export updates the events instead of duplicating them. */
export function paymentUid(agreement: Agreement, period: number): string {
  return `${agreement.roomId}-${fingerprint(agreement.contentHash)}-${period}@negotiation-room`
}

/** The .ics text; rows that pay nothing (capitalised grace, a bullet loan's waiting months) have no event. */
export function paymentCalendar(agreement: Agreement, schedule: ExportSchedule, lang: AgreementLang): string {
  const text = CALENDAR_TEXT[lang]
  const money = (minor: number) => formatMoney(minor, agreement.currency, text.locale)
  const periods = schedule.lines.length
  const events: EventAttributes[] = schedule.lines
    .filter((line) => line.total > 0)
    .map((line) => {
      const summary = text.summary(line.period, periods, money(line.total))
      const description = [
        text.breakdown(money(line.principal), money(line.interest), money(line.balance)),
        text.agreement(agreement.title, fingerprint(agreement.contentHash)),
        ...(schedule.datesSource === 'assumed' ? [text.assumedDate] : []),
      ].join('\n')
      return {
        uid: paymentUid(agreement, line.period),
        start: dateArray(line.dueDate),
        duration: { days: 1 },
        title: summary,
        description,
        status: 'CONFIRMED',
        busyStatus: 'FREE',
        transp: 'TRANSPARENT',
        categories: ['loan'],
        alarms: [
          {
            action: 'display',
            description: text.reminder(money(line.total), line.dueDate),
            trigger: { days: REMINDER_DAYS_BEFORE, before: true },
          },
        ],
      }
    })
  const { error, value } = createEvents(events, { productId: 'negotiation-room/export', calName: text.calendarName(agreement.title) })
  if (error || value === null) throw error ?? new Error('ics produced no calendar')
  return value
}
