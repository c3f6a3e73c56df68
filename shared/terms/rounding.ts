// Round half up (toward +∞ on an exact half) of an exact fraction: the one rounding rule of the contract.

/** floor(a / b) for b > 0 (BigInt division truncates toward zero). */
function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b
  return a % b !== 0n && a < 0n ? q - 1n : q
}

/**
 * The integer nearest to numerator / denominator, halves going up (2.5 → 3, −2.5 → −2).
 * Exact for any size with bigint; the number form requires safe integers and stays exact
 * (it falls back to BigInt when an intermediate would leave the safe range).
 */
export function roundHalfUp(numerator: bigint, denominator: bigint): bigint
export function roundHalfUp(numerator: number, denominator: number): number
export function roundHalfUp(numerator: bigint | number, denominator: bigint | number): bigint | number {
  if (typeof numerator === 'bigint' && typeof denominator === 'bigint') {
    if (denominator <= 0n) throw new RangeError('roundHalfUp: denominator must be positive')
    return floorDiv(2n * numerator + denominator, 2n * denominator)
  }
  if (typeof numerator !== 'number' || typeof denominator !== 'number') {
    throw new TypeError('roundHalfUp: both arguments must be bigint or both number')
  }
  if (!Number.isSafeInteger(numerator) || !Number.isSafeInteger(denominator)) {
    throw new RangeError('roundHalfUp: arguments must be safe integers')
  }
  if (denominator <= 0) throw new RangeError('roundHalfUp: denominator must be positive')
  const n2 = 2 * numerator + denominator
  const d2 = 2 * denominator
  if (Number.isSafeInteger(n2) && Number.isSafeInteger(d2)) {
    // Remainder and exact division instead of Math.floor(n2 / d2): float division may round up to the next integer.
    const r = ((n2 % d2) + d2) % d2
    return (n2 - r) / d2
  }
  return Number(floorDiv(2n * BigInt(numerator) + BigInt(denominator), 2n * BigInt(denominator)))
}
