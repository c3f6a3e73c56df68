// The replay's change list: keystrokes folded into one line per field and person, nothing invented.
import { describe, expect, it } from 'vitest'
import type { TermChange } from '../../../shared/archive/termChange.ts'
import { changesUpTo, groupChanges } from './groupChanges.ts'

const lender = { role: 'lender' as const, name: 'Wang' }
const borrower = { role: 'borrower' as const, name: 'Li' }
const key = (seq: number, ts: number, actor: TermChange['actor'], k: string, from: string | null, to: string | null): TermChange => ({
  seq,
  ts,
  actor,
  root: 'terms',
  key: k,
  from,
  to,
})

describe('groupChanges', () => {
  it('folds one person typing a rate into one change, first value → last value', () => {
    const changes = [key(3, 1000, lender, 'annualRatePct', '4.90', '4'), key(4, 1200, lender, 'annualRatePct', '4', '4.3'), key(5, 1400, lender, 'annualRatePct', '4.3', '4.35')]
    expect(groupChanges(changes)).toEqual([{ kind: 'key', seq: 5, firstSeq: 3, ts: 1000, actor: lender, root: 'terms', key: 'annualRatePct', from: '4.90', to: '4.35' }])
  })

  it('keeps changes apart across people, fields, long pauses, and drops a change typed and put back', () => {
    const changes = [
      key(3, 1000, lender, 'annualRatePct', '4.90', '4.35'),
      key(4, 2000, borrower, 'annualRatePct', '4.35', '4.20'),
      key(5, 3000, borrower, 'termMonths', '24', '36'),
      key(6, 200_000, borrower, 'termMonths', '36', '48'),
      key(7, 200_100, lender, 'principal', '100', '1'),
      key(8, 200_200, lender, 'principal', '1', '100'),
    ]
    expect(groupChanges(changes).map((e) => (e.kind === 'key' ? [e.key, e.from, e.to, e.actor.role] : null))).toEqual([
      ['annualRatePct', '4.90', '4.35', 'lender'],
      ['annualRatePct', '4.35', '4.20', 'borrower'],
      ['termMonths', '24', '36', 'borrower'],
      ['termMonths', '36', '48', 'borrower'],
    ])
  })

  it('sums one person typing the clauses; keeps the room creation values one by one', () => {
    const system = { role: 'system' as const, name: 'operator' }
    const changes: TermChange[] = [
      key(2, 0, system, 'principal', null, '100'),
      key(2, 0, system, 'annualRatePct', null, '4.35'),
      { seq: 5, ts: 10, actor: borrower, root: 'clauses', inserted: 3, deleted: 0 },
      { seq: 6, ts: 20, actor: borrower, root: 'clauses', inserted: 4, deleted: 1 },
      { seq: 7, ts: 30, actor: lender, root: 'clauses', inserted: 1, deleted: 0 },
    ]
    const out = groupChanges(changes)
    expect(out.filter((e) => e.kind === 'key')).toHaveLength(2)
    expect(out.filter((e) => e.kind === 'clauses')).toEqual([
      { kind: 'clauses', seq: 6, firstSeq: 5, ts: 10, actor: borrower, inserted: 7, deleted: 1 },
      { kind: 'clauses', seq: 7, firstSeq: 7, ts: 30, actor: lender, inserted: 1, deleted: 0 },
    ])
  })

  it('counts the changes that happened by a seq', () => {
    const changes = [{ seq: 2 }, { seq: 2 }, { seq: 5 }, { seq: 9 }]
    expect([0, 2, 4, 5, 9, 10].map((s) => changesUpTo(changes, s))).toEqual([0, 2, 2, 3, 4, 4])
  })
})
