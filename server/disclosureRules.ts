// The disclosure rules this server applies (shared/disclosure): zh-CN defaults, with the one-year LPR table
// taken from LPR_TABLE when set — JSON text (`[{"effective":"2025-05-20","ratePct":"3.00"}, …]`) or the path of
// a file holding it. A bad table stops the start: a wrong ceiling must not be shown to borrowers.
import fs from 'node:fs'
import { DEFAULT_DISCLOSURE_RULES, type DisclosureRules } from '../shared/disclosure/disclosures.ts'
import { parseLprTable } from '../shared/disclosure/lprTable.ts'

export function disclosureRulesFrom(lprTable: string | undefined): DisclosureRules {
  if (lprTable === undefined || lprTable.trim() === '') return DEFAULT_DISCLOSURE_RULES
  const text = lprTable.trim().startsWith('[') ? lprTable : fs.readFileSync(lprTable, 'utf8')
  const parsed = parseLprTable(text)
  if (!parsed.ok) throw new Error(`LPR_TABLE: ${parsed.reason}`)
  return { ...DEFAULT_DISCLOSURE_RULES, lpr: parsed.table }
}
