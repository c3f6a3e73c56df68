// The terms engine's public types. Money is always integer minor units (cents / fen).

export type Minor = number

export type Method = 'annuity' | 'equal_principal' | 'interest_only' | 'bullet'
export type GraceInterest = 'capitalize' | 'pay'

/** The terms object of DESIGN.md (contract). */
export interface Terms {
  principal: Minor
  /** Percent per year as a decimal string, e.g. "4.35"; parsed exactly. */
  annualRatePct: string
  termMonths: number
  method: Method
  graceMonths?: number
  graceInterest?: GraceInterest
  upfrontFee?: Minor
}

export interface PaymentRow {
  period: number
  payment: Minor
  principal: Minor
  interest: Minor
  balance: Minor
}

/** Result of computing a terms object (contract keys). */
export interface ScheduleResult {
  payments: PaymentRow[]
  totalInterest: Minor
  totalPaid: Minor
  /** Nominal annual rate = 12 × monthly IRR of the borrower's cash flows, 4 decimals. */
  aprPct: string
  /** (1 + monthly IRR)^12 − 1, 4 decimals. */
  earPct: string
  /**
   * The instalment a person budgets for (the rule per method is documented in schedule.ts).
   * An addition to the contract keys, so compare/affordability work from a result alone.
   */
  regularInstalment: Minor
}

/** The borrower's declared monthly situation (DESIGN.md `Y.Map("profile")`), minor units. */
export interface Profile {
  monthlyIncome: Minor
  monthlyExpenses: Minor
  otherDebtPayments: Minor
  assets?: Minor
  liabilities?: Minor
}
