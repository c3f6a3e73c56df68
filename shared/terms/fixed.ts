// Decimal strings with a fixed number of places, for rates shown to people and hashed into agreements.

/** x rounded half up to 4 decimals, as a plain decimal string ("4.3500", "-0.0100"); never exponent notation. */
export function toFixed4(x: number): string {
  if (!Number.isFinite(x)) throw new RangeError(`toFixed4: not a finite number: ${x}`)
  // Whole and fractional parts apart (x − floor(x) is exact), so large values keep every digit of x.
  let whole = Math.floor(x)
  let frac = Math.floor((x - whole) * 10000 + 0.5)
  if (frac === 10000) {
    whole += 1
    frac = 0
  }
  const scaled = BigInt(whole) * 10000n + BigInt(frac)
  if (scaled === 0n) return '0.0000'
  const digits = (scaled < 0n ? -scaled : scaled).toString().padStart(5, '0')
  return `${scaled < 0n ? '-' : ''}${digits.slice(0, -4)}.${digits.slice(-4)}`
}

/** a − b for two decimal strings with at most 4 places, exactly, with 4 places ("4.3500" − "4.9" = "-0.5500"). */
export function subtractFixed4(a: string, b: string): string {
  const diff = scaled4(a) - scaled4(b)
  const abs = (diff < 0n ? -diff : diff).toString().padStart(5, '0')
  return `${diff < 0n ? '-' : ''}${abs.slice(0, -4)}.${abs.slice(-4)}`
}

function scaled4(s: string): bigint {
  const m = /^(-?)(\d+)(?:\.(\d{1,4}))?$/.exec(s)
  if (!m) throw new RangeError(`not a decimal with at most 4 places: ${JSON.stringify(s)}`)
  const v = BigInt((m[2] ?? '') + (m[3] ?? '').padEnd(4, '0'))
  return m[1] === '-' ? -v : v
}
