// The words of the payment calendar (.ics), English and Simplified Chinese; amounts arrive formatted.
import type { AgreementLang } from '../../shared/i18n/agreementText.ts'

export interface CalendarText {
  locale: string
  calendarName(title: string): string
  summary(period: number, periods: number, amount: string): string
  breakdown(principal: string, interest: string, balance: string): string
  agreement(title: string, fingerprint: string): string
  assumedDate: string
  reminder(amount: string, date: string): string
}

const en: CalendarText = {
  locale: 'en',
  calendarName: (title) => `Loan payments — ${title}`,
  summary: (period, periods, amount) => `Loan payment ${period} of ${periods}: ${amount}`,
  breakdown: (principal, interest, balance) => `Principal ${principal}, interest ${interest}. Still owed after this payment: ${balance}.`,
  agreement: (title, fingerprint) => `Signed agreement "${title}" (fingerprint ${fingerprint}).`,
  assumedDate:
    'The agreement sets no first due date: this date assumes the first payment one month after the agreement was signed. Check the date with your lender.',
  reminder: (amount, date) => `Payment of ${amount} due on ${date}`,
}

const zh: CalendarText = {
  locale: 'zh-CN',
  calendarName: (title) => `还款日历 — ${title}`,
  summary: (period, periods, amount) => `第 ${period} 期还款（共 ${periods} 期）：${amount}`,
  breakdown: (principal, interest, balance) => `本金 ${principal}，利息 ${interest}。本期还款后剩余：${balance}。`,
  agreement: (title, fingerprint) => `已签署的协议「${title}」（指纹 ${fingerprint}）。`,
  assumedDate: '协议未约定首个还款日：此日期按签署协议一个月后首次还款推算，请与贷款方核实。',
  reminder: (amount, date) => `${date} 应还 ${amount}`,
}

export const CALENDAR_TEXT: Readonly<Record<AgreementLang, CalendarText>> = { en, zh }
