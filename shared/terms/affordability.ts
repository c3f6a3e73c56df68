// Can the borrower carry this instalment? Debt service and what is left each month, from the declared profile.
import { roundHalfUp } from './rounding.ts'
import type { Minor, Profile, ScheduleResult } from './types.ts'

export interface Affordability {
  instalment: Minor
  /** instalment + otherDebtPayments. */
  debtService: Minor
  /** debtService / monthlyIncome (a float, for charts); null without income. */
  debtServiceRatio: number | null
  /** The ratio in percent with one decimal, rounded half up exactly: "35.1%"; null without income. */
  debtServiceRatioPct: string | null
  /** income − expenses − otherDebtPayments − instalment. */
  disposableIncome: Minor
  /** assets − liabilities when both are declared, else null. */
  netWorth: Minor | null
  flags: {
    /** monthlyIncome is 0: no ratio can be given. */
    noIncome: boolean
    /** Debt service above 50% of income (with no income: any debt service at all). */
    highDebtService: boolean
    negativeDisposable: boolean
  }
}

export function affordability(profile: Profile, result: Pick<ScheduleResult, 'regularInstalment'>): Affordability {
  const instalment = result.regularInstalment
  const income = profile.monthlyIncome
  const debtService = instalment + profile.otherDebtPayments
  const disposableIncome = income - profile.monthlyExpenses - profile.otherDebtPayments - instalment
  const noIncome = income <= 0
  let ratio: number | null = null
  let ratioPct: string | null = null
  if (!noIncome) {
    ratio = debtService / income
    const tenths = roundHalfUp(BigInt(debtService) * 1000n, BigInt(income))
    ratioPct = `${tenths / 10n}.${tenths % 10n}%`
  }
  const netWorth = profile.assets !== undefined && profile.liabilities !== undefined ? profile.assets - profile.liabilities : null
  return {
    instalment,
    debtService,
    debtServiceRatio: ratio,
    debtServiceRatioPct: ratioPct,
    disposableIncome,
    netWorth,
    flags: {
      noIncome,
      // Integers compared exactly: ratio > 50% ⇔ 2·debtService > income.
      highDebtService: noIncome ? debtService > 0 : 2 * debtService > income,
      negativeDisposable: disposableIncome < 0,
    },
  }
}
