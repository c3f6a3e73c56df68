// The downloads a locked room offers beside the agreement: the borrower's calendar, the schedule, the core-banking request.
import type { Messages } from './types.ts'

export const en = {
  'exports.label': 'Also download',
  'exports.ics': 'Payment calendar (.ics)',
  'exports.icsHelp': 'Every payment date with its amount, and a reminder two days before, for the calendar on your phone or computer.',
  'exports.csv': 'Schedule (CSV)',
  'exports.csvHelp': 'One line per instalment — due date, principal, interest, fee, total, balance — for a spreadsheet.',
  'exports.fineract': 'Core banking request (Fineract)',
  'exports.fineractHelp': 'The Apache Fineract request that books these terms, with notes on anything it cannot carry.',
} as const

export const zh: Messages<typeof en> = {
  'exports.label': '其他下载',
  'exports.ics': '还款日历（.ics）',
  'exports.icsHelp': '每个还款日及应还金额，并提前两天提醒，可导入手机或电脑日历。',
  'exports.csv': '还款计划（CSV）',
  'exports.csvHelp': '每期一行——还款日、本金、利息、费用、合计、剩余本金——可用电子表格打开。',
  'exports.fineract': '核心系统请求（Fineract）',
  'exports.fineractHelp': '在 Apache Fineract 中录入这些条款的请求，并注明其无法表达的内容。',
}
