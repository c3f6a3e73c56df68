// The prose sections: commitments, the APR disclosure, the clauses and the borrower's profile.
import type { Agreement } from '../../../shared/agreement/agreement.ts'
import { commitmentSentences } from '../../../shared/agreement/commitmentText.ts'
import type { CheckedContent } from '../../../shared/content/validateContent.ts'
import { PROFILE_KEYS } from '../../../shared/document/roomDoc.ts'
import { APR_DISCLOSURE_LABEL, ROUNDING_RULE } from '../../../shared/i18n/agreementText.ts'
import { profileOf } from '../../../shared/restructuring/recovery.ts'
import { affordability } from '../../../shared/terms/affordability.ts'
import { disclosureSentence } from '../../../shared/disclosure/disclosureText.ts'
import { COLOR, type Layout } from './pdfLayout.ts'
import { dsrPct, exactApr, pct } from './pdfText.ts'

export function drawCommitments(l: Layout, a: Agreement, checked: CheckedContent): void {
  const c = checked.commitments
  const lines = commitmentSentences(c, l.lang, (m) => l.money(m), a.restructuring ? a.restructuring.breakdown.totalOwed : null)
  if (c.firstDueDate) lines.unshift(l.t('agreement.commitment.firstDueDate', { date: c.firstDueDate }))
  if (lines.length === 0 && !checked.restructuring) return
  l.heading(l.t('agreement.commitments.heading'))
  if (lines.length === 0) l.paragraph(l.t('agreement.commitment.none'), 10, COLOR.muted)
  for (const line of lines) l.paragraph(`•  ${line}`)
}

export function drawDisclosure(l: Layout, a: Agreement): void {
  l.heading(l.t('agreement.disclosure.heading'))
  l.rows([[APR_DISCLOSURE_LABEL[l.lang], exactApr(l, a.computed.aprPct), 'strong']])
  l.paragraph(ROUNDING_RULE[l.lang], 9)
}

/** The warnings the room showed for these terms ("disclosures shown to the borrower"), when there were any. */
export function drawWarnings(l: Layout, a: Agreement): void {
  if (!a.disclosures || a.disclosures.length === 0) return
  l.heading(l.t('agreement.warnings.heading'))
  l.paragraph(l.t('agreement.warnings.intro'), 9, COLOR.muted)
  for (const d of a.disclosures) {
    const s = disclosureSentence(d, { money: (m) => l.money(m), percent: (v) => pct(l, v), date: (iso) => iso })
    l.paragraph(`•  ${l.t(s.key, s.vars)}`)
  }
}

export function drawClauses(l: Layout, a: Agreement): void {
  l.heading(l.t('agreement.clauses.heading'))
  const text = a.content.clauses.trim()
  if (text === '') l.paragraph(l.t('agreement.clauses.none'), 10, COLOR.muted)
  else l.paragraph(text)
}

export function drawProfile(l: Layout, a: Agreement): void {
  l.heading(l.t('agreement.profile.heading'))
  const p = a.content.profile
  const present = PROFILE_KEYS.filter((k) => typeof p[k] === 'number')
  if (present.length === 0) {
    l.paragraph(l.t('agreement.profile.none'), 10, COLOR.muted)
    return
  }
  l.paragraph(l.t('agreement.profile.note'), 8.5, COLOR.muted)
  const rows: Array<[string, string]> = present.map((k) => [l.t(`agreement.profile.${k}`), l.money(p[k] as number)])
  const profile = profileOf(p)
  const ratio = profile ? affordability(profile, a.computed).debtServiceRatioPct : null
  if (ratio !== null) rows.push([l.t('agreement.profile.dsr'), dsrPct(l, ratio)])
  l.rows(rows)
}
