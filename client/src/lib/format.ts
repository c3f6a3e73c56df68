// Numbers, money and dates in the chosen language (money: Intl with the room's currency, exact decimals).
import { formatAmount, formatMoney, formatMoneyCompact } from '../../../shared/format/money.ts'
import { roundDecimalString } from '../../../shared/format/percent.ts'
import { locale } from './i18n.svelte.ts'

export { roundDecimalString }

export function money(minor: number, currency: string): string {
  return formatMoney(minor, currency, locale())
}

/** An amount without the currency symbol ("1,029.17"), for columns whose header names the currency. */
export function amount(minor: number, currency: string): string {
  return formatAmount(minor, currency, locale())
}

export function moneyCompact(minor: number, currency: string): string {
  return formatMoneyCompact(minor, currency, locale())
}

/** A percent given as a decimal string ("5.1234") with the locale's decimal mark, digits kept as given. */
export function pct(value: string | number, fractionDigits = 2): string {
  const s = typeof value === 'number' ? value.toFixed(fractionDigits) : value
  const n = new Intl.NumberFormat(locale(), { minimumFractionDigits: fractionDigits, maximumFractionDigits: fractionDigits })
  return n.format(s as unknown as number)
}

export function integer(n: number): string {
  return new Intl.NumberFormat(locale()).format(n)
}

export function monthYear(d: Date): string {
  return new Intl.DateTimeFormat(locale(), { year: 'numeric', month: 'long' }).format(d)
}

export function dateLong(d: Date | string): string {
  const date = typeof d === 'string' ? new Date(d.length === 10 ? `${d}T00:00:00` : d) : d
  if (Number.isNaN(date.getTime())) return String(d)
  return new Intl.DateTimeFormat(locale(), { year: 'numeric', month: 'long', day: 'numeric' }).format(date)
}

/** A day with the month abbreviated ("Dec 6, 2027", "2027年12月6日"): for a figure card, where a long month would wrap. */
export function dateMedium(d: string): string {
  const date = new Date(d.length === 10 ? `${d}T00:00:00` : d)
  if (Number.isNaN(date.getTime())) return d
  return new Intl.DateTimeFormat(locale(), { dateStyle: 'medium' }).format(date)
}

export function dateTime(ts: string | number): string {
  const date = new Date(ts)
  if (Number.isNaN(date.getTime())) return ''
  return new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeStyle: 'short' }).format(date)
}

export function time(ts: string | number): string {
  const date = new Date(ts)
  if (Number.isNaN(date.getTime())) return ''
  return new Intl.DateTimeFormat(locale(), { hour: '2-digit', minute: '2-digit' }).format(date)
}

/** The currency's symbol in the chosen language ("¥", "US$", "€"). */
export function currencySymbol(currency: string): string {
  try {
    const parts = new Intl.NumberFormat(locale(), { style: 'currency', currency }).formatToParts(0)
    return parts.find((p) => p.type === 'currency')?.value ?? currency
  } catch {
    return currency
  }
}

/** A percent string shown with 2 decimals in the chosen language ("4.4567" → "4.46"). */
export function rate(s: string, digits = 2): string {
  return pct(roundDecimalString(s, digits), digits)
}

/** A rate as every figure shows it: `rate` with its sign ("4.35 %"). */
export function percent(s: string, digits = 2): string {
  return `${rate(s, digits)} %`
}
