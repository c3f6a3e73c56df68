// How figures read in the PDF: dates in UTC, signed differences, method names, the new-principal formula.
import { formatPercent } from '../../../shared/format/percent.ts'
import type { Method } from '../../../shared/terms/types.ts'
import type { NewPrincipalBreakdown } from '../../../shared/restructuring/newPrincipal.ts'
import type { Layout } from './pdfLayout.ts'

export function utc(iso: string): string {
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  return `${d.toISOString().slice(0, 19).replace('T', ' ')} UTC`
}

/** Every rate and ratio of the agreement in the room's one format, "4.35 %", with the decimals the UI shows. */
export function pct(l: Layout, value: string, digits = 2): string {
  return formatPercent(value, l.locale, digits)
}

/** A debt-service ratio as the room shows it: one decimal ("37.7 %"). */
export function dsrPct(l: Layout, value: string): string {
  return pct(l, value, 1)
}

/** The APR with the 4 decimals the disclosure's rounding rule states ("4.9662 %"). */
export function exactApr(l: Layout, value: string): string {
  return formatPercent(value, l.locale, 4)
}

export function when(l: Layout, point: { period: number; dueDate?: string }): string {
  return point.dueDate ? l.t('agreement.when.date', { date: point.dueDate }) : l.t('agreement.when.period', { n: point.period })
}

export function methodName(l: Layout, method: Method): string {
  return l.t(`agreement.method.${method}`)
}

export function signedDiff(l: Layout, minor: number): string {
  if (minor === 0) return '0'
  return minor > 0 ? `+${l.money(minor)}` : `−${l.money(-minor)}`
}

/** An exact 4-decimal difference from the terms engine ("-0.5000") shown as "−0.50 %". */
export function signedPct(l: Layout, fixed: string): string {
  const n = Number(fixed)
  if (n === 0) return '0'
  return `${n > 0 ? '+' : '−'}${pct(l, fixed.replace(/^[-+]/, ''))}`
}

export function instalmentLabel(l: Layout, method: Method): string {
  return l.t(method === 'bullet' ? 'agreement.field.atMaturity' : 'agreement.field.regularInstalment')
}

export function rateDiff(l: Layout, a: string, b: string): string {
  const d = Math.round((Number(a) - Number(b)) * 10_000) / 10_000
  if (d === 0) return '0'
  return `${d > 0 ? '+' : '−'}${pct(l, Math.abs(d).toFixed(4))}`
}

/** "12,000,000 = outstanding principal … − waivers …": shown wherever the new principal appears. */
export function breakdownFormula(l: Layout, b: NewPrincipalBreakdown, withTotal = true): string {
  return l.t('agreement.breakdown.formula', {
    newPrincipal: withTotal ? l.money(b.newPrincipal) : '',
    principal: l.money(b.outstandingPrincipal),
    accrued: l.money(b.accruedInterest),
    penalty: l.money(b.penaltyInterest),
    fees: l.money(b.fees),
    waived: l.money(b.waivers.total),
  }).trim()
}
