// "Who changed which term when", as data for the replay timeline and as one readable line.
import type { Scalar } from '../document/roomDoc.ts'
import type { Actor } from '../protocol/room.ts'

export type MapRoot = 'terms' | 'profile' | 'baseline' | 'waivers' | 'commitments'

interface ChangeBase {
  seq: number
  ts: number
  actor: Actor
}

/** One key of a map root changed by one update; null = absent. */
export interface KeyChange extends ChangeBase {
  root: MapRoot
  key: string
  from: Scalar | null
  to: Scalar | null
}

/** The clauses text edited by one update: characters inserted and deleted. */
export interface ClausesChange extends ChangeBase {
  root: 'clauses'
  inserted: number
  deleted: number
}

export type TermChange = KeyChange | ClausesChange

export interface DescribeOptions {
  /** IANA zone for the time of day (default: the runtime's). */
  timeZone?: string
}

function show(v: Scalar | null): string {
  return v === null ? '—' : String(v)
}

/** "14:02 lender (Wang) changed annualRatePct 4.90 → 4.35" (English; the UI builds its own translated line from the data). */
export function describeChange(c: TermChange, options: DescribeOptions = {}): string {
  const time = new Intl.DateTimeFormat('en-GB', {
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    ...(options.timeZone !== undefined ? { timeZone: options.timeZone } : {}),
  }).format(c.ts)
  const who = `${c.actor.role} (${c.actor.name})`
  if (c.root === 'clauses') {
    const parts = [c.inserted > 0 ? `+${c.inserted}` : '', c.deleted > 0 ? `−${c.deleted}` : ''].filter(Boolean).join(' ')
    return `${time} ${who} edited clauses (${parts} characters)`
  }
  const field = c.root === 'terms' ? c.key : `${c.root}.${c.key}`
  if (c.from === null) return `${time} ${who} set ${field} to ${show(c.to)}`
  if (c.to === null) return `${time} ${who} removed ${field} (was ${show(c.from)})`
  return `${time} ${who} changed ${field} ${show(c.from)} → ${show(c.to)}`
}
