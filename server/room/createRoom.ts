// A new room: its record, a 'create' event, and the initial content as the first stored update,
// so the document is complete when the first client joins.
import { randomBytes } from 'node:crypto'
import * as Y from 'yjs'
import { ROOT, writeMap, type RoomContent, type Scalar } from '../../shared/document/roomDoc.ts'
import type { CreateRoomTerms } from '../../shared/protocol/http.ts'
import type { Actor } from '../../shared/protocol/room.ts'
import type { Terms } from '../../shared/terms/types.ts'
import type { InviteRecord, RoomMeta, RoomRecord, Store } from '../store/Store.ts'
import { defaultFirstDueDate, utcDay } from './defaultFirstDueDate.ts'

export interface CreateRoomInput {
  title: string
  currency: string
  /** Without `principal` in a restructuring room (computed from the baseline less the waivers). */
  terms: CreateRoomTerms
  original?: Terms
  invites: InviteRecord[]
  lenderInstitution?: string
  /** The rest of the proposal to start from (an amendment starts from the agreed content). */
  prefill?: Partial<Omit<RoomContent, 'terms'>>
  /** The locked room whose agreement this room amends. */
  amendmentOf?: string
  /** When the room is created (ms): the default first due date counts from it. Now when left out. */
  now?: number
  /** The organisation the room belongs to and who opened it (staff or API key); none for the operator key. */
  org?: Pick<RoomMeta, 'orgId' | 'createdBy' | 'assignedTo'>
}

export const OPERATOR_ACTOR: Actor = { role: 'system', name: 'operator' }

export function newRoomId(): string {
  return randomBytes(12).toString('base64url')
}

const PREFILL_MAPS = ['profile', 'baseline', 'waivers', 'commitments'] as const

/** The commitments to start from, with the default first due date when none is given (defaultFirstDueDate.ts). */
function startingCommitments(input: CreateRoomInput): Record<string, Scalar> {
  const given = input.prefill?.commitments ?? {}
  if (typeof given.firstDueDate === 'string') return given
  const asOf = input.prefill?.baseline?.asOfDate
  const firstDueDate = defaultFirstDueDate(utcDay(input.now ?? Date.now()), typeof asOf === 'string' ? asOf : undefined)
  return { ...given, firstDueDate }
}

export async function createRoom(store: Store, input: CreateRoomInput, id = newRoomId()): Promise<RoomRecord> {
  const doc = new Y.Doc()
  const prefill = { ...input.prefill, commitments: startingCommitments(input) }
  doc.transact(() => {
    writeMap(doc, ROOT.terms, input.terms as unknown as Record<string, Scalar>)
    for (const name of PREFILL_MAPS) {
      const values = prefill[name]
      if (values && Object.keys(values).length > 0) writeMap(doc, name, values)
    }
    const clauses = prefill.clauses
    if (clauses) doc.getText(ROOT.clauses).insert(0, clauses)
  })
  const update = Y.encodeStateAsUpdate(doc)
  doc.destroy()
  const meta: RoomMeta = {
    ...(input.original ? { original: input.original } : {}),
    invites: input.invites,
    ...(input.lenderInstitution ? { lenderInstitution: input.lenderInstitution } : {}),
    ...(input.amendmentOf ? { amendmentOf: input.amendmentOf } : {}),
    ...(input.org?.orgId ? { orgId: input.org.orgId } : {}),
    ...(input.org?.createdBy ? { createdBy: input.org.createdBy } : {}),
    ...(input.org?.assignedTo ? { assignedTo: input.org.assignedTo } : {}),
  }
  return store.createRoom({ id, title: input.title, currency: input.currency, meta }, [
    // roomId is hashed into seq 1: an archive relabelled as another room no longer verifies.
    { actor: OPERATOR_ACTOR, type: 'create', payload: { roomId: id, title: input.title, currency: input.currency, ...meta } },
    { actor: OPERATOR_ACTOR, type: 'update', payload: update },
  ])
}
