// Interest rates as exact fractions: "4.35" (percent per year) → 435/10000, never a float.
import type { Minor } from './types.ts'

/** An annual rate as an exact fraction (not percent): "4.35" → { num: 435n, den: 10000n }. */
export interface Rate {
  num: bigint
  den: bigint
}

/** The monthly rate (annual / 12) reduced to lowest terms, with number copies for the safe-integer fast path. */
export interface MonthlyRate {
  num: bigint
  den: bigint
  numN: number
  denN: number
  /** Both numN and denN are safe integers, so balance × numN can be checked for exactness. */
  fast: boolean
}

const RATE_PATTERN = /^(\d+)(?:\.(\d+))?$/

/** Parses a non-negative decimal percent string exactly. Throws RangeError on anything else. */
export function parseRate(s: string): Rate {
  const m = typeof s === 'string' ? RATE_PATTERN.exec(s) : null
  if (!m) throw new RangeError(`not a decimal percent string: ${JSON.stringify(s)}`)
  const frac = m[2] ?? ''
  return { num: BigInt((m[1] ?? '') + frac), den: 10n ** BigInt(frac.length + 2) }
}

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b]
  return a
}

export function monthlyRate(rate: Rate): MonthlyRate {
  const den12 = rate.den * 12n
  const g = rate.num === 0n ? den12 : gcd(rate.num, den12)
  const num = rate.num / g
  const den = den12 / g
  const numN = Number(num)
  const denN = Number(den)
  return { num, den, numN, denN, fast: Number.isSafeInteger(numN) && Number.isSafeInteger(denN) }
}

/** One period's interest: round half up of balance × monthly rate, exact (BigInt only when the product leaves 2^53). */
export function interestOn(balance: Minor, rate: MonthlyRate): Minor {
  if (rate.fast) {
    const p = balance * rate.numN
    // A product above 2^53 − 1 is rounded by the float multiply, but then it also compares above the limit.
    if (p <= Number.MAX_SAFE_INTEGER) {
      const r = p % rate.denN
      const q = (p - r) / rate.denN
      return 2 * r >= rate.denN ? q + 1 : q
    }
  }
  const num = BigInt(balance) * rate.num
  return Number((2n * num + rate.den) / (2n * rate.den))
}

/** k ten-thousandths of a percent → "4.3500" (the 4-decimal form solveRate answers with). */
export function ratePctFromTenThousandths(k: number): string {
  const s = String(k).padStart(5, '0')
  return `${s.slice(0, -4)}.${s.slice(-4)}`
}
