// A realistic lock input (a restructuring with waivers, commitments, consent records, a grace period and Chinese
// user text) for tests and PDF previews.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { hashContent } from '../../../shared/content/contentHash.ts'
import type { RoomContent } from '../../../shared/document/roomDoc.ts'
import type { Terms } from '../../../shared/terms/types.ts'
import { summaryHash } from '../../../shared/agreement/summaryText.ts'
import type { BuildAgreementInput } from '../../../server/agreement/buildAgreement.ts'
import { loadOrCreateServerKey, type ServerKey } from '../../../server/agreement/serverKey.ts'

export const SAMPLE_CLAUSE = '借款人承诺按时还款。The lender waives the late fees of March.'

/** The debt the sample restructures: 12,034,000 owed, 34,000 waived, so the new principal is 12,000,000 (= terms.principal). */
export const SAMPLE_BASELINE = {
  outstandingPrincipal: 11_920_000,
  accruedInterest: 43_500,
  penaltyInterest: 24_000,
  fees: 46_500,
  daysPastDue: 45,
  asOfDate: '2024-12-20',
  originalAnnualRatePct: '4.35',
  originalMethod: 'annuity',
  originalRemainingMonths: 24,
}

export const SAMPLE_WAIVERS = {
  penaltyInterest: 24_000,
  penaltyInterestReason: '首次逾期，因失业所致 — first default, caused by job loss',
  fees: 10_000,
  feesReason: 'Goodwill: the late fees of March',
}

export const SAMPLE_COMMITMENTS = {
  noCollectionCalls: true,
  noHomeVisits: true,
  creditReporting: 'restructured_current',
  missedPaymentsBeforeLapse: 3,
  lapseRestoresBaseline: true,
}

/** A restructuring room's content at lock (the new principal equals the typed terms.principal, 12,000,000). */
export function sampleContent(terms: Partial<Terms> = {}): RoomContent {
  return {
    terms: {
      principal: 12_000_000,
      annualRatePct: '4.35',
      termMonths: 36,
      method: 'annuity',
      graceMonths: 3,
      graceInterest: 'capitalize',
      upfrontFee: 120_000,
      ...terms,
    },
    clauses: SAMPLE_CLAUSE,
    profile: { monthlyIncome: 1_250_000, monthlyExpenses: 600_000, otherDebtPayments: 80_000, assets: 5_000_000, liabilities: 12_500_000 },
    baseline: { ...SAMPLE_BASELINE },
    waivers: { ...SAMPLE_WAIVERS },
    commitments: { ...SAMPLE_COMMITMENTS },
  }
}

/** A new loan (no baseline, no waivers): the same terms outside a restructuring. */
export function samplePlainContent(terms: Partial<Terms> = {}): RoomContent {
  return { ...sampleContent(terms), baseline: {}, waivers: {}, commitments: {} }
}

export const SAMPLE_ORIGINAL: Terms = { principal: 12_000_000, annualRatePct: '4.35', termMonths: 24, method: 'annuity' }

export const SAMPLE_USER_AGENT = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148'

/** Confirmations with consent records: the borrower read the Chinese summary on a phone, the lender the English one. */
export function sampleLockInput(content: RoomContent = sampleContent(), overrides: Partial<BuildAgreementInput> = {}): BuildAgreementInput {
  const hash = hashContent(content)
  const currency = overrides.currency ?? 'CNY'
  const consent = (lang: 'en' | 'zh') => {
    try {
      return { summaryLang: lang, summaryHash: summaryHash(content, lang, currency) }
    } catch {
      return {} // invalid content has no summary: buildAgreement refuses it on the content anyway
    }
  }
  return {
    roomId: 'room-7f3a',
    title: '张伟 — restructuring of loan 2023-118',
    currency,
    lockedAt: '2025-03-14T09:30:05.000Z',
    content,
    confirmations: [
      {
        role: 'lender',
        name: 'Maria Keller (Acme Lending)',
        confirmedAt: '2025-03-14T09:29:40.000Z',
        hash,
        shownAt: '2025-03-14T09:27:12.000Z',
        ip: '198.51.100.23',
        userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/124.0 Safari/537.36',
        ...consent('en'),
      },
      {
        role: 'borrower',
        name: '张伟',
        confirmedAt: '2025-03-14T09:30:05.000Z',
        hash,
        shownAt: '2025-03-14T09:28:30.000Z',
        ip: '203.0.113.7',
        userAgent: SAMPLE_USER_AGENT,
        ...consent('zh'),
      },
    ],
    original: SAMPLE_ORIGINAL,
    ...overrides,
  }
}

const temporaryDirs: string[] = []

/** A fresh signing key in its own temporary DATA_DIR (tests remove them with removeTemporaryKeys). */
export function temporaryServerKey(): ServerKey & { dir: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'agreement-key-'))
  temporaryDirs.push(dir)
  return Object.assign(loadOrCreateServerKey(dir), { dir })
}

export function removeTemporaryKeys(): void {
  for (const dir of temporaryDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true })
}
