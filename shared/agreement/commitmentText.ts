// The commitments in plain words, one sentence each (same words in the review summary and the PDF).
import type { Commitments } from '../restructuring/commitments.ts'
import { agreementT, type AgreementLang } from '../i18n/agreementText.ts'
import type { Minor } from '../terms/types.ts'

/**
 * A sentence per agreed commitment, in a fixed order: collection calls, home visits, credit reporting, lapse.
 * The first due date is not repeated here (the payment sentences carry it). `baselineAmount` is the debt a lapse
 * restores (null outside a restructuring room); `money` formats minor units for `lang`.
 */
export function commitmentSentences(
  c: Commitments,
  lang: AgreementLang,
  money: (minor: Minor) => string,
  baselineAmount: Minor | null,
): string[] {
  const out: string[] = []
  if (c.noCollectionCalls !== undefined) out.push(agreementT(lang, c.noCollectionCalls ? 'agreement.commitment.noCollectionCalls.true' : 'agreement.commitment.noCollectionCalls.false'))
  if (c.noHomeVisits !== undefined) out.push(agreementT(lang, c.noHomeVisits ? 'agreement.commitment.noHomeVisits.true' : 'agreement.commitment.noHomeVisits.false'))
  if (c.creditReporting !== undefined) {
    out.push(agreementT(lang, 'agreement.commitment.creditReporting', { explained: agreementT(lang, `agreement.creditReporting.${c.creditReporting}`) }))
  }
  if (c.missedPaymentsBeforeLapse !== undefined) {
    out.push(
      c.lapseRestoresBaseline && baselineAmount !== null
        ? agreementT(lang, 'agreement.commitment.lapse.restore', { n: c.missedPaymentsBeforeLapse, amount: money(baselineAmount) })
        : agreementT(lang, 'agreement.commitment.lapse.keep', { n: c.missedPaymentsBeforeLapse }),
    )
  }
  return out
}
