// Coarsening a figure shown to one side so it does not pin down the other side's private limit.

/** x rounded to two significant figures, up or down (x ≥ 0; figures below 100 are kept whole). */
export function roundSignificant(x: number, direction: 'up' | 'down'): number {
  if (x < 100) return x
  const step = 10 ** (Math.floor(Math.log10(x)) - 1)
  const q = x / step
  // log10 can be off by one near powers of ten; the result stays a multiple of step with two or three digits.
  return (direction === 'up' ? Math.ceil(q) : Math.floor(q)) * step
}
