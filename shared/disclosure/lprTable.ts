// The one-year Loan Prime Rate (贷款市场报价利率, LPR) by effective date: the base of the judicial protection
// ceiling for private lending (Supreme People's Court, 2020 amendment of the private-lending provisions: interest
// above four times the one-year LPR at the contract date is not protected). Published monthly by the NIFC on
// behalf of the PBoC; only the changes are listed. Override with LPR_TABLE (server/disclosureConfig.ts).

/** One LPR value from its effective date (YYYY-MM-DD) until the next entry's. */
export interface LprEntry {
  effective: string
  /** Percent per year as a decimal string ("3.00"). */
  ratePct: string
}

/** Recent one-year LPR changes, oldest first (source: NIFC / PBoC announcements). */
export const DEFAULT_LPR_TABLE: readonly LprEntry[] = [
  { effective: '2019-08-20', ratePct: '4.25' },
  { effective: '2019-09-20', ratePct: '4.20' },
  { effective: '2019-11-20', ratePct: '4.15' },
  { effective: '2020-02-20', ratePct: '4.05' },
  { effective: '2020-04-20', ratePct: '3.85' },
  { effective: '2021-12-20', ratePct: '3.80' },
  { effective: '2022-01-20', ratePct: '3.70' },
  { effective: '2022-08-22', ratePct: '3.65' },
  { effective: '2023-06-20', ratePct: '3.55' },
  { effective: '2023-08-21', ratePct: '3.45' },
  { effective: '2024-07-22', ratePct: '3.35' },
  { effective: '2024-10-21', ratePct: '3.10' },
  { effective: '2025-05-20', ratePct: '3.00' },
]

const DATE = /^\d{4}-\d{2}-\d{2}$/
const RATE = /^\d{1,3}(\.\d{1,4})?$/

export type LprTableParse = { ok: true; table: LprEntry[] } | { ok: false; reason: string }

/** Checks a table from configuration (JSON text or a parsed value) and sorts it by date. */
export function parseLprTable(input: unknown): LprTableParse {
  let value = input
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input)
    } catch (err) {
      return { ok: false, reason: `not JSON: ${(err as Error).message}` }
    }
  }
  if (!Array.isArray(value) || value.length === 0) return { ok: false, reason: 'expected a non-empty array of {effective, ratePct}' }
  const table: LprEntry[] = []
  for (const [i, e] of value.entries()) {
    const entry = e as Partial<LprEntry> | null
    if (!entry || typeof entry.effective !== 'string' || !DATE.test(entry.effective) || Number.isNaN(Date.parse(entry.effective))) {
      return { ok: false, reason: `[${i}].effective: expected YYYY-MM-DD` }
    }
    if (typeof entry.ratePct !== 'string' || !RATE.test(entry.ratePct)) return { ok: false, reason: `[${i}].ratePct: expected a decimal percent string like "3.00"` }
    table.push({ effective: entry.effective, ratePct: entry.ratePct })
  }
  table.sort((a, b) => (a.effective < b.effective ? -1 : a.effective > b.effective ? 1 : 0))
  for (let i = 1; i < table.length; i++) {
    if (table[i]!.effective === table[i - 1]!.effective) return { ok: false, reason: `two entries take effect on ${table[i]!.effective}` }
  }
  return { ok: true, table }
}

/** The entry in force on `date` (YYYY-MM-DD): the latest effective on or before it; null before the first. */
export function lprOn(table: readonly LprEntry[], date: string): LprEntry | null {
  let found: LprEntry | null = null
  for (const e of table) if (e.effective <= date && (!found || e.effective > found.effective)) found = e
  return found
}
