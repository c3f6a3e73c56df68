// Percentages as people read them, in the room and in the agreement: "4.35 %", exact decimal strings rounded once.

/** "5.1234" rounded half up to `digits` decimals, on the decimal string itself (no float in between). */
export function roundDecimalString(s: string, digits: number): string {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(s.trim())
  if (!m) return s
  const sign = m[1] ?? ''
  const whole = m[2] ?? '0'
  const frac = (m[3] ?? '').padEnd(digits + 1, '0')
  let scaled = BigInt(whole + frac.slice(0, digits))
  if (Number(frac[digits]) >= 5) scaled += 1n
  const str = scaled.toString().padStart(digits + 1, '0')
  const out = digits > 0 ? `${str.slice(0, -digits)}.${str.slice(-digits)}` : str
  return /^0(\.0+)?$/.test(out) ? out : sign + out
}

/**
 * A percent given as a decimal string ("4.35", "4.9662", "35.2%") as "4.35 %": rounded half up to `digits`, the
 * locale's digits, and a no-break space before the sign so that a line never ends between number and "%".
 */
export function formatPercent(value: string, locale: string, digits = 2): string {
  const s = roundDecimalString(value.replace(/%$/, ''), digits)
  if (!/^-?\d+(\.\d+)?$/.test(s)) return value
  // Already rounded on the string: the float only carries a few exact decimals to Intl for the locale's marks.
  const n = new Intl.NumberFormat(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits })
  return `${n.format(Number(s))}\u00a0%`
}
