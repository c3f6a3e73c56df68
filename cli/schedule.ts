// `cli schedule --principal … --rate … --term …`: one schedule as a table a person can read, and its summary.
import { parseArgs } from 'node:util'
import { formatAmount, formatMoney } from '../shared/format/money.ts'
import { validateTerms } from '../shared/schema/terms.schema.ts'
import { computeSchedule, dueDate } from '../shared/terms/index.ts'
import type { GraceInterest, Method, ScheduleResult, Terms } from '../shared/terms/types.ts'
import { EXIT, type CliIo, type Command } from './command.ts'

const USAGE = [
  'schedule --principal MINOR --rate PCT --term MONTHS [--method annuity|equal_principal|interest_only|bullet]',
  '         [--grace MONTHS --grace-interest capitalize|pay] [--fee MINOR] [--currency CNY] [--locale zh-CN]',
  '         [--start YYYY-MM-DD]   (amounts in minor units: --principal 100000000 is 1,000,000.00)',
].join('\n')

const METHOD_NAMES: Record<Method, string> = {
  annuity: 'annuity (等额本息)',
  equal_principal: 'equal principal (等额本金)',
  interest_only: 'interest only (先息后本)',
  bullet: 'bullet (一次性还本付息)',
}

/** Which option a validation error's field path came from, so the message names what the person typed. */
const FLAG_OF: Record<string, string> = {
  '/principal': '--principal',
  '/annualRatePct': '--rate',
  '/termMonths': '--term',
  '/method': '--method',
  '/graceMonths': '--grace',
  '/graceInterest': '--grace-interest',
  '/upfrontFee': '--fee',
}

export interface ScheduleOptions {
  terms: Terms
  currency: string
  locale: string
  start?: string
}

type Parsed = { ok: true; options: ScheduleOptions } | { ok: false; error: string }

function integerFlag(value: string | undefined, flag: string): number | string | undefined {
  if (value === undefined) return undefined
  if (!/^\d+$/.test(value)) return `${flag}: must be a whole number (amounts in minor units), got ${JSON.stringify(value)}`
  return Number(value)
}

export function parseScheduleArgs(args: string[]): Parsed {
  let values: Record<string, string | undefined>
  try {
    values = parseArgs({
      args,
      strict: true,
      allowPositionals: false,
      options: {
        principal: { type: 'string' },
        rate: { type: 'string' },
        term: { type: 'string' },
        method: { type: 'string', default: 'annuity' },
        grace: { type: 'string' },
        'grace-interest': { type: 'string' },
        fee: { type: 'string' },
        currency: { type: 'string', default: 'CNY' },
        locale: { type: 'string' },
        start: { type: 'string' },
      },
    }).values as Record<string, string | undefined>
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) }
  }
  for (const required of ['principal', 'rate', 'term'] as const) {
    if (values[required] === undefined) return { ok: false, error: `--${required} is required` }
  }
  const principal = integerFlag(values['principal'], '--principal')
  const termMonths = integerFlag(values['term'], '--term')
  const graceMonths = integerFlag(values['grace'], '--grace')
  const upfrontFee = integerFlag(values['fee'], '--fee')
  for (const v of [principal, termMonths, graceMonths, upfrontFee]) if (typeof v === 'string') return { ok: false, error: v }
  const raw: Record<string, unknown> = { principal, annualRatePct: values['rate'], termMonths, method: values['method'] }
  if (graceMonths !== undefined) raw['graceMonths'] = graceMonths
  if (values['grace-interest'] !== undefined) raw['graceInterest'] = values['grace-interest'] as GraceInterest
  if (upfrontFee !== undefined) raw['upfrontFee'] = upfrontFee
  const checked = validateTerms(raw)
  if (!checked.ok) {
    const path = checked.error.slice(0, checked.error.indexOf(':'))
    const flag = FLAG_OF[path]
    return { ok: false, error: flag ? `${flag}: ${checked.error}` : checked.error }
  }
  const currency = (values['currency'] ?? 'CNY').toUpperCase()
  try {
    new Intl.NumberFormat('en', { style: 'currency', currency })
  } catch {
    return { ok: false, error: `--currency: not an ISO 4217 currency code: ${JSON.stringify(values['currency'])}` }
  }
  const locale = values['locale'] ?? Intl.NumberFormat().resolvedOptions().locale
  try {
    new Intl.NumberFormat(locale)
  } catch {
    return { ok: false, error: `--locale: not a locale: ${JSON.stringify(locale)}` }
  }
  const start = values['start']
  if (start !== undefined) {
    try {
      dueDate(start, 1)
    } catch {
      return { ok: false, error: `--start: not a date YYYY-MM-DD: ${JSON.stringify(start)}` }
    }
  }
  return { ok: true, options: { terms: checked.value, currency, locale, ...(start !== undefined ? { start } : {}) } }
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)))
  // First column (period) and dates left as they are; amounts right-aligned so the digits line up.
  const line = (cells: string[]) => cells.map((cell, c) => cell.padStart(widths[c] ?? 0)).join('  ')
  const rule = widths.map((w) => '─'.repeat(w)).join('  ')
  return [line(header), rule, ...rows.map(line)].join('\n')
}

/** The readable report: terms, the table of every period, then the figures a borrower asks about. */
export function renderSchedule(options: ScheduleOptions, result: ScheduleResult): string {
  const { terms, currency, locale, start } = options
  const money = (minor: number) => formatMoney(minor, currency, locale)
  const amount = (minor: number) => formatAmount(minor, currency, locale)
  const header = ['Period', ...(start ? ['Due'] : []), `Payment (${currency})`, 'Principal', 'Interest', 'Balance']
  const rows = result.payments.map((r) => [
    String(r.period),
    ...(start ? [dueDate(start, r.period)] : []),
    amount(r.payment),
    amount(r.principal),
    amount(r.interest),
    amount(r.balance),
  ])
  const grace = terms.graceMonths ?? 0
  const fee = terms.upfrontFee ?? 0
  const last = result.payments[result.payments.length - 1]
  const summary: [string, string][] = [
    ['Loan', `${money(terms.principal)} at ${terms.annualRatePct}% a year over ${terms.termMonths} months, ${METHOD_NAMES[terms.method]}`],
  ]
  if (grace > 0) {
    const how = terms.graceInterest === 'pay' ? 'interest paid monthly' : 'interest added to the balance'
    summary.push(['Grace', `${grace} month${grace === 1 ? '' : 's'}, ${how}`])
  }
  if (fee > 0) summary.push(['Upfront fee', `${money(fee)} (you receive ${money(terms.principal - fee)})`])
  const instalmentLabel = terms.method === 'bullet' ? 'Single payment' : terms.method === 'interest_only' ? 'Monthly interest' : 'Instalment'
  summary.push([instalmentLabel, money(result.regularInstalment)])
  if (last && terms.method !== 'bullet' && last.payment !== result.regularInstalment) {
    summary.push(['Last payment', `${money(last.payment)}${start ? ` on ${dueDate(start, last.period)}` : ''}`])
  }
  summary.push(['Total interest', money(result.totalInterest)])
  summary.push(['Total paid', money(result.totalPaid)])
  summary.push(['APR', `${result.aprPct}%`])
  summary.push(['EAR', `${result.earPct}%`])
  const labelWidth = Math.max(...summary.map(([label]) => label.length))
  const summaryText = summary.map(([label, value]) => `${label.padEnd(labelWidth)}  ${value}`).join('\n')
  return `${table(header, rows)}\n\n${summaryText}\n`
}

export const command: Command = {
  usage: USAGE,
  async run(args: string[], io: CliIo): Promise<number> {
    const parsed = parseScheduleArgs(args)
    if (!parsed.ok) {
      io.stderr(`schedule: ${parsed.error}\nusage: ${USAGE}\n`)
      return EXIT.usage
    }
    io.stdout(renderSchedule(parsed.options, computeSchedule(parsed.options.terms)))
    return EXIT.ok
  },
}
