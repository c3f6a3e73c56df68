// The shared Yjs document of one room (contract: DESIGN.md "The shared document").
import * as Y from 'yjs'

/** Root type names. Maps hold plain numbers and strings only (no nested Yjs types). */
export const ROOT = {
  terms: 'terms',
  clauses: 'clauses',
  profile: 'profile',
  baseline: 'baseline',
  waivers: 'waivers',
  commitments: 'commitments',
} as const

export type RootName = (typeof ROOT)[keyof typeof ROOT]
export type Role = 'borrower' | 'lender' | 'observer'

/**
 * Which roles may write each root type. Enforced by the server on every update
 * (the UI only mirrors it): the borrower alone declares their situation, the lender alone
 * states the debt being restructured.
 */
export const WRITERS: Readonly<Record<RootName, readonly Role[]>> = {
  terms: ['borrower', 'lender'],
  clauses: ['borrower', 'lender'],
  profile: ['borrower'],
  baseline: ['lender'],
  waivers: ['borrower', 'lender'],
  commitments: ['borrower', 'lender'],
}

export const PROFILE_KEYS = [
  'monthlyIncome',
  'monthlyExpenses',
  'otherDebtPayments',
  'assets',
  'liabilities',
] as const

export type Scalar = string | number | boolean
export type ScalarMap = Record<string, Scalar>

/** Everything that is agreed, as plain data (before the computed totals are added). */
export interface RoomContent {
  terms: ScalarMap
  clauses: string
  profile: ScalarMap
  baseline: ScalarMap
  waivers: ScalarMap
  commitments: ScalarMap
}

const MAP_ROOTS = ['terms', 'profile', 'baseline', 'waivers', 'commitments'] as const

function mapToPlain(map: Y.Map<unknown>): ScalarMap {
  const out: ScalarMap = {}
  map.forEach((value, key) => {
    // Only scalars are part of the model; anything else would be a client bug and is ignored.
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      out[key] = value
    }
  })
  return out
}

export function readContent(doc: Y.Doc): RoomContent {
  const content = { clauses: doc.getText(ROOT.clauses).toString() } as RoomContent
  for (const name of MAP_ROOTS) content[name] = mapToPlain(doc.getMap(name))
  return content
}

/** Writes plain values into a map inside the caller's transaction; keys not given are left alone. */
export function writeMap(doc: Y.Doc, name: (typeof MAP_ROOTS)[number], values: Record<string, Scalar | undefined>): void {
  const map = doc.getMap(name)
  doc.transact(() => {
    for (const [key, value] of Object.entries(values)) {
      if (value === undefined) map.delete(key)
      else if (map.get(key) !== value) map.set(key, value)
    }
  })
}
