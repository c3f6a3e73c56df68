// A new room: its record, a 'create' event, and the initial terms as the first stored update,
// so the document is complete when the first client joins.
import { randomBytes } from 'node:crypto'
import * as Y from 'yjs'
import { ROOT, writeMap, type Scalar } from '../../shared/document/roomDoc.ts'
import type { Actor } from '../../shared/protocol/room.ts'
import type { Terms } from '../../shared/terms/types.ts'
import type { InviteRecord, RoomRecord, Store } from '../store/Store.ts'

export interface CreateRoomInput {
  title: string
  currency: string
  terms: Terms
  original?: Terms
  invites: InviteRecord[]
}

export const OPERATOR_ACTOR: Actor = { role: 'system', name: 'operator' }

export function newRoomId(): string {
  return randomBytes(12).toString('base64url')
}

export async function createRoom(store: Store, input: CreateRoomInput, id = newRoomId()): Promise<RoomRecord> {
  const doc = new Y.Doc()
  writeMap(doc, ROOT.terms, input.terms as unknown as Record<string, Scalar>)
  const update = Y.encodeStateAsUpdate(doc)
  doc.destroy()
  const meta = { ...(input.original ? { original: input.original } : {}), invites: input.invites }
  return store.createRoom({ id, title: input.title, currency: input.currency, meta }, [
    { actor: OPERATOR_ACTOR, type: 'create', payload: { title: input.title, currency: input.currency, ...meta } },
    { actor: OPERATOR_ACTOR, type: 'update', payload: update },
  ])
}
