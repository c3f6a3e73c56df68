// Money as text: minor units ↔ the major-unit string a person types, by string arithmetic only (never float).
import type { Minor } from '../terms/types.ts'

export type ParseResult = { ok: true; value: Minor } | { ok: false; reason: 'empty' | 'format' | 'decimals' | 'too_large' }

/** Digits after the decimal point for a currency (CNY/USD/EUR/HKD 2, JPY 0, BHD 3). */
const digitsCache = new Map<string, number>()

export function minorDigits(currency: string): number {
  let d = digitsCache.get(currency)
  if (d === undefined) {
    try {
      d = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2
    } catch {
      d = 2
    }
    digitsCache.set(currency, d)
  }
  return d
}

/** Full-width digits and punctuation (typed with a Chinese IME) become ASCII. */
export function normalizeDigits(text: string): string {
  return text
    .replace(/[\uFF10-\uFF19]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xff10 + 48))
    .replace(/[\uFF0E\u3002]/g, '.')
    .replace(/[\uFF0C]/g, ',')
    .replace(/[\uFF05]/g, '%')
}

/** "12,345.6" → 1234560 (2 digits). Grouping commas and spaces are ignored; a sign is refused. */
export function parseMajor(text: string, digits: number): ParseResult {
  const s = normalizeDigits(text).trim().replace(/[,\s_']/g, '')
  if (s === '') return { ok: false, reason: 'empty' }
  const m = /^(\d*)(?:\.(\d*))?$/.exec(s)
  if (!m || (m[1] === '' && (m[2] ?? '') === '')) return { ok: false, reason: 'format' }
  const whole = m[1] ?? ''
  const frac = m[2] ?? ''
  if (frac.length > digits) return { ok: false, reason: 'decimals' }
  const joined = ((whole || '0') + frac.padEnd(digits, '0')).replace(/^0+(?=\d)/, '')
  if (joined.length > 16 || BigInt(joined) > BigInt(Number.MAX_SAFE_INTEGER)) return { ok: false, reason: 'too_large' }
  return { ok: true, value: Number(joined) }
}

/** 1234560 → "12345.60" (2 digits): the exact decimal string of a minor amount, no grouping. */
export function minorToMajorString(minor: Minor, digits: number): string {
  if (!Number.isSafeInteger(minor)) throw new Error(`minorToMajorString: not an integer amount: ${minor}`)
  const negative = minor < 0
  const abs = String(Math.abs(minor))
  if (digits === 0) return (negative ? '-' : '') + abs
  const padded = abs.padStart(digits + 1, '0')
  const out = `${padded.slice(0, -digits)}.${padded.slice(-digits)}`
  return (negative ? '-' : '') + out
}

/** The text an amount input shows for a stored value: 1234500 → "12345", 1234560 → "12345.60". */
export function minorToInput(minor: Minor, digits: number): string {
  const s = minorToMajorString(minor, digits)
  // Whole amounts read better without ".00" while typing; cents are kept when present.
  return digits > 0 && /\.0+$/.test(s) ? s.replace(/\.0+$/, '') : s
}

/** "150000.50" → "150,000.50": the whole part in groups of three for reading; parseMajor reads it back. */
export function groupThousands(decimal: string): string {
  const dot = decimal.indexOf('.')
  const whole = dot < 0 ? decimal : decimal.slice(0, dot)
  return whole.replace(/\B(?=(\d{3})+$)/g, ',') + (dot < 0 ? '' : decimal.slice(dot))
}

const formatters = new Map<string, Intl.NumberFormat>()

function formatter(locale: string, currency: string, compact: boolean): Intl.NumberFormat {
  const key = `${locale}|${currency}|${compact}`
  let f = formatters.get(key)
  if (!f) {
    f = new Intl.NumberFormat(locale, {
      style: 'currency',
      currency,
      currencyDisplay: 'symbol',
      ...(compact ? { notation: 'compact', maximumFractionDigits: 1 } : {}),
    })
    formatters.set(key, f)
  }
  return f
}

/**
 * Formats minor units with the currency symbol and the locale's grouping. The exact decimal string
 * is handed to Intl (ES2023 string decimals), so no float ever stands for the amount.
 */
export function formatMoney(minor: Minor, currency: string, locale: string): string {
  const digits = minorDigits(currency)
  const exact = minorToMajorString(Math.round(minor), digits)
  return formatter(locale, currency, false).format(exact as unknown as number)
}

/** Short form for chart axes ("¥1.2M", "¥120万"). Axis labels only; never for a figure someone agrees to. */
export function formatMoneyCompact(minor: Minor, currency: string, locale: string): string {
  const digits = minorDigits(currency)
  return formatter(locale, currency, true).format(minorToMajorString(Math.round(minor), digits) as unknown as number)
}

const plainFormatters = new Map<string, Intl.NumberFormat>()

/** Minor → "12,345.60" without a currency symbol (grouping of the locale). */
export function formatAmount(minor: Minor, currency: string, locale: string): string {
  const digits = minorDigits(currency)
  const key = `${locale}|${digits}`
  let f = plainFormatters.get(key)
  if (!f) {
    f = new Intl.NumberFormat(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits })
    plainFormatters.set(key, f)
  }
  return f.format(minorToMajorString(Math.round(minor), digits) as unknown as number)
}
