// The plain-language summary the review dialog shows before someone confirms; its SHA-256 goes into the consent record.
// Deterministic on purpose: no Intl (ICU differs between browsers and Node), only string arithmetic, so the browser
// that shows it and the server/verifier that re-hash it get the same bytes. Rewording any `review.*`,
// `agreement.method*`, `agreement.commitment*`, `agreement.creditReporting*` or disclosure string changes the hash of
// what people are shown: signed agreements keep verifying only against the wording they were confirmed with.
import { hashContent } from '../content/contentHash.ts'
import type { RoomContent } from '../document/roomDoc.ts'
import { sha256Hex } from '../document/sha256.ts'
import { checkContent } from '../content/validateContent.ts'
import { minorDigits, minorToMajorString } from '../format/money.ts'
import { agreementT, APR_DISCLOSURE_LABEL, ROUNDING_RULE, type AgreementLang, type AgreementTextKey } from '../i18n/agreementText.ts'
import { reasonKey, WAIVER_CATEGORIES } from '../restructuring/waivers.ts'
import type { Minor } from '../terms/types.ts'
import { fingerprint, type PaymentPoint } from './agreement.ts'
import { computeAgreementFigures } from './agreementFigures.ts'
import { commitmentSentences } from './commitmentText.ts'

/** "1,234,567.89" from minor units: ASCII digits, comma groups, the currency's decimals. */
function grouped(minor: Minor, currency: string): string {
  const s = minorToMajorString(minor, minorDigits(currency))
  const negative = s.startsWith('-')
  const [whole = '', frac] = (negative ? s.slice(1) : s).split('.')
  const withCommas = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')
  return `${negative ? '-' : ''}${withCommas}${frac === undefined ? '' : `.${frac}`}`
}

/** "Penalty interest" → "penalty interest", for a label inside an English sentence. */
function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1)
}

/** Money the same way everywhere: "CNY 1,234.56" (English), "1,234.56 元" (Chinese, yuan), "USD 1,234.56" otherwise. */
export function moneyText(minor: Minor, currency: string, lang: AgreementLang): string {
  if (lang === 'zh' && currency === 'CNY') return `${grouped(minor, currency)} 元`
  return `${currency} ${grouped(minor, currency)}`
}

export class SummaryUnavailable extends Error {
  constructor(readonly errors: string[]) {
    super(`the content is not valid, so there is nothing to confirm: ${errors.join('; ')}`)
    this.name = 'SummaryUnavailable'
  }
}

/**
 * Every agreed term in sentences, paragraphs separated by "\n": for a restructuring, the debt, the waivers with
 * their reasons and the new principal's breakdown; then amount, fee, rate, term and method, grace, instalment,
 * totals, APR with the regulatory label; the commitments; the rounding rule; the additional conditions; the
 * content fingerprint. Same input, same text, in browser and server. Throws SummaryUnavailable when
 * validateContent(content) is not ok (the review dialog is only offered for valid content).
 */
export function reviewSummary(content: RoomContent, lang: AgreementLang, currency: string): string {
  const checked = checkContent(content)
  if (!checked.ok) throw new SummaryUnavailable(checked.errors)
  const { terms, commitments, restructuring } = checked.value
  const t = (key: AgreementTextKey, vars?: Record<string, string | number>) => agreementT(lang, key, vars)
  const money = (minor: Minor) => moneyText(minor, currency, lang)
  const join = (sentences: string[]) => sentences.join(lang === 'zh' ? '' : ' ')
  const paragraphs: string[] = []

  if (restructuring) {
    const { baseline, waivers, breakdown: b } = restructuring
    const items = WAIVER_CATEGORIES.filter((c) => (waivers[c] ?? 0) > 0).map((c) =>
      t('review.restructuring.waiverItem', {
        category: lang === 'en' ? lowerFirst(t(`agreement.key.${c}`)) : t(`agreement.key.${c}`),
        amount: money(waivers[c]!),
        reason: (waivers[reasonKey(c)] ?? '').trim(),
      }),
    )
    paragraphs.push(
      join([
        t('review.restructuring.owed', {
          date: baseline.asOfDate,
          total: money(b.totalOwed),
          principal: money(b.outstandingPrincipal),
          accrued: money(b.accruedInterest),
          penalty: money(b.penaltyInterest),
          fees: money(b.fees),
          days: baseline.daysPastDue,
        }),
        items.length === 0
          ? t('review.restructuring.noWaivers')
          : t('review.restructuring.waivers', { total: money(b.waivers.total), list: items.join(t('review.restructuring.listSeparator')) }),
        t('review.restructuring.newPrincipal', {
          formula: t('agreement.breakdown.formula', {
            newPrincipal: money(b.newPrincipal),
            principal: money(b.outstandingPrincipal),
            accrued: money(b.accruedInterest),
            penalty: money(b.penaltyInterest),
            fees: money(b.fees),
            waived: money(b.waivers.total),
          }),
        }),
      ]),
    )
  }

  const c = computeAgreementFigures(terms, commitments.firstDueDate)
  const when = (p: PaymentPoint) => (p.dueDate ? t('review.when.date', { date: p.dueDate }) : t('review.when.period', { n: p.period }))
  const loan: string[] = []
  if (!restructuring) loan.push(t('review.amount', { principal: money(terms.principal) }))
  if (c.upfrontFee === 0) loan.push(t('review.noFee'))
  else if (restructuring) loan.push(t('review.fee.restructuring', { fee: money(c.upfrontFee) }))
  else loan.push(t('review.fee', { fee: money(c.upfrontFee), net: money(c.netDisbursed) }))
  loan.push(t('review.rate', { rate: terms.annualRatePct }))
  loan.push(
    t('review.term', {
      months: terms.termMonths,
      method: t(`agreement.method.${terms.method}`),
      methodExplained: t(`agreement.methodExplained.${terms.method}`),
    }),
  )
  const grace = terms.graceMonths ?? 0
  if (grace > 0) loan.push(t(terms.graceInterest === 'pay' ? 'agreement.summary.grace.pay' : 'agreement.summary.grace.capitalize', { n: grace }))
  loan.push(
    terms.method === 'bullet'
      ? t('review.instalment.bullet', { instalment: money(c.lastPayment.amount), lastWhen: when(c.lastPayment) })
      : t('review.instalment', {
          instalment: money(c.regularInstalment),
          first: money(c.firstPayment.amount),
          firstWhen: when(c.firstPayment),
          last: money(c.lastPayment.amount),
          lastWhen: when(c.lastPayment),
        }),
  )
  loan.push(t('review.totals', { totalPaid: money(c.totalPaid), interest: money(c.totalInterest), totalCost: money(c.totalCost) }))
  loan.push(t('review.apr', { label: APR_DISCLOSURE_LABEL[lang], apr: c.aprPct }))
  paragraphs.push(join(loan))

  const promises = commitmentSentences(commitments, lang, money, restructuring ? restructuring.breakdown.totalOwed : null)
  if (promises.length > 0) paragraphs.push(join(promises))
  paragraphs.push(ROUNDING_RULE[lang])
  const clauses = content.clauses.trim()
  paragraphs.push(clauses === '' ? t('agreement.clauses.none') : t('review.clauses', { text: clauses }))
  paragraphs.push(t('review.fingerprint', { fp: fingerprint(hashContent(content)) }))
  return paragraphs.join('\n')
}

/** SHA-256 (hex) of reviewSummary(content, lang, currency): what a confirmation's consent record stores. */
export function summaryHash(content: RoomContent, lang: AgreementLang, currency: string): string {
  return sha256Hex(reviewSummary(content, lang, currency))
}
