// APR and EAR from the borrower's cash flows: what the loan really costs, fee included.
import { toFixed4 } from './fixed.ts'
import type { Minor } from './types.ts'

/**
 * The monthly IRR i of [−received, payments[0] at month 1, …, payments[n−1] at month n].
 *
 * Newton on h(t) = ln(Σ p_k e^{−k t}) − ln(received) with t = ln(1 + i). h is convex and
 * decreasing (a log-sum-exp of linear functions), so from t = 0, where h ≥ 0 whenever the payments
 * add up to at least what was received, every step lands between the previous point and the root:
 * no overshoot, no bracket needed, and a bullet loan (h linear) is solved in one step. Sums are
 * scaled by the first (t ≥ 0) or last (t < 0) paying month, so 600 months at any rate neither
 * underflow nor overflow. Zero payments simply contribute nothing.
 */
export function monthlyIrr(received: Minor, payments: readonly Minor[]): number {
  if (!(received > 0)) throw new RangeError('monthlyIrr: the amount received must be positive')
  let first = -1
  let last = -1
  let total = 0
  for (let k = 0; k < payments.length; k++) {
    const p = payments[k] as number
    if (p < 0) throw new RangeError('monthlyIrr: payments must not be negative')
    if (p > 0) {
      if (first < 0) first = k
      last = k
      total += p
    }
  }
  if (first < 0) throw new RangeError('monthlyIrr: no payment')
  if (total === received) return 0
  const lnReceived = Math.log(received)
  let t = 0
  let previousStep = Infinity
  for (let iter = 0; iter < 200; iter++) {
    let sum = 0
    let weighted = 0
    let anchor: number
    if (t >= 0) {
      // Terms e^{−(k−first)t} ≤ 1, shrinking: later months may underflow to 0, harmlessly.
      anchor = first
      const x = Math.exp(-t)
      let w = 1
      for (let k = first; k <= last; k++) {
        const p = payments[k] as number
        sum += p * w
        weighted += (k - first) * p * w
        w *= x
      }
    } else {
      anchor = last
      const x = Math.exp(t)
      let w = 1
      for (let k = last; k >= first; k--) {
        const p = payments[k] as number
        sum += p * w
        weighted += (k - last) * p * w
        w *= x
      }
    }
    // ln S(t) = −(anchor+1)·t + ln(scaled sum); −h'(t) = the payments' mean time (duration) at t.
    const h = -(anchor + 1) * t + Math.log(sum) - lnReceived
    const duration = anchor + 1 + weighted / sum
    const step = h / duration
    t += step
    if (!Number.isFinite(t)) throw new RangeError('monthlyIrr: did not converge')
    // Converged, or down at the float noise floor (steps no longer shrink).
    const size = Math.abs(step)
    if (size <= 1e-16 * Math.max(1, Math.abs(t)) || (size < 1e-12 * Math.max(1, Math.abs(t)) && size >= previousStep)) break
    previousStep = size
  }
  return Math.expm1(t)
}

/** aprPct = 12 × monthly IRR and earPct = (1 + IRR)^12 − 1, both in percent with 4 decimals (half up). */
export function aprAndEar(received: Minor, payments: readonly Minor[]): { aprPct: string; earPct: string } {
  const i = monthlyIrr(received, payments)
  return { aprPct: toFixed4(1200 * i), earPct: toFixed4(100 * Math.expm1(12 * Math.log1p(i))) }
}
