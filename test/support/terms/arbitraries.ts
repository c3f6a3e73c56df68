// fast-check generators of valid terms, shared by the engine's and the schema's property tests.
import fc from 'fast-check'
import { ratePctFromTenThousandths } from '../../../shared/terms/rate.ts'
import type { GraceInterest, Method, Terms } from '../../../shared/terms/types.ts'

export const METHODS: readonly Method[] = ['annuity', 'equal_principal', 'interest_only', 'bullet']

/** k ten-thousandths of a percent in its shortest spelling: 43500 → "4.35", 1_000_000 → "100". */
export function ratePct(k: number): string {
  return ratePctFromTenThousandths(k).replace(/\.?0+$/, '')
}

/** Rates in ten-thousandths of a percent, weighted toward everyday rates but covering 0..100 %. */
export const rateK = fc.oneof(
  fc.integer({ min: 0, max: 1_000_000 }),
  fc.integer({ min: 0, max: 240_000 }),
  fc.constantFrom(0, 1, 43_500, 49_000, 360_000, 1_000_000),
)

export const principalArb = (min = 1, max = 10 ** 13) =>
  fc.oneof(fc.integer({ min, max }), fc.integer({ min, max: Math.max(min, Math.min(max, 100_000_000)) }), fc.constantFrom(min, max))

export interface TermsOptions {
  minPrincipal?: number
  maxPrincipal?: number
  methods?: readonly Method[]
  maxRateK?: number
  maxTerm?: number
  fee?: boolean
  graceInterest?: readonly GraceInterest[]
}

/**
 * Valid terms (the schema must accept every one). A capitalized grace that could outgrow 2^53
 * minor units (the schema refuses those, see safeRange.ts) is turned into a paid grace.
 */
export function termsArb(o: TermsOptions = {}): fc.Arbitrary<Terms> {
  return fc
    .record({
      principal: principalArb(o.minPrincipal ?? 1, o.maxPrincipal ?? 10 ** 13),
      k: o.maxRateK === undefined ? rateK : fc.integer({ min: 0, max: o.maxRateK }),
      termMonths: fc.oneof(fc.integer({ min: 1, max: o.maxTerm ?? 600 }), fc.constantFrom(1, o.maxTerm ?? 600)),
      method: fc.constantFrom(...(o.methods ?? METHODS)),
      grace: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 599 })),
      graceInterest: fc.constantFrom(...(o.graceInterest ?? (['capitalize', 'pay'] as const))),
      spellGrace: fc.boolean(),
      fee: o.fee === false ? fc.constant(0) : fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 10 ** 13 })),
    })
    .map(({ principal, k, termMonths, method, grace, graceInterest, spellGrace, fee }) => {
      const t: Terms = { principal, annualRatePct: ratePct(k), termMonths, method }
      const graceMonths = method === 'bullet' ? 0 : grace % termMonths
      if (graceMonths > 0 || (spellGrace && method !== 'bullet')) t.graceMonths = graceMonths
      if (graceMonths > 0) {
        const r = k / 1_000_000 / 12
        const grown = principal * Math.pow(1 + r, graceMonths) * (2 + r * (termMonths + 1))
        t.graceInterest = grown > 1e15 ? 'pay' : graceInterest
      }
      if (fee % principal > 0) t.upfrontFee = fee % principal
      return t
    })
}
