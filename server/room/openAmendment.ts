// An amendment: a new room that starts from a locked room's agreed content, with the same people,
// linked both ways (meta.amendmentOf in the new room, an 'amend' event in the old one).
import { checkContent } from '../../shared/content/validateContent.ts'
import { isRefusal, refuse, type Refusal } from '../../shared/protocol/errors.ts'
import type { Actor } from '../../shared/protocol/room.ts'
import type { Terms } from '../../shared/terms/types.ts'
import type { InviteRecord, Store } from '../store/Store.ts'
import { createRoom } from './createRoom.ts'
import type { Room } from './Room.ts'
import type { RoomRegistry } from './RoomRegistry.ts'

export interface Amendment {
  roomId: string
  invites: InviteRecord[]
  /** An amendment room of this agreement was still being negotiated: that one is answered, none is created. */
  existing: boolean
}

/** One amendment at a time per room in this process: two parties clicking at once get the same room. */
const opening = new Map<string, Promise<Amendment | Refusal>>()

export function openAmendment(room: Room, actor: Actor, store: Store, registry: RoomRegistry): Promise<Amendment | Refusal> {
  const running = opening.get(room.id)
  if (running) return running.then((r) => (isRefusal(r) ? r : { ...r, existing: true }))
  const job = open(room, actor, store, registry)
  opening.set(room.id, job)
  void job.finally(() => opening.delete(room.id)).catch(() => {})
  return job
}

async function open(room: Room, actor: Actor, store: Store, registry: RoomRegistry): Promise<Amendment | Refusal> {
  const agreement = room.agreement
  if (room.phase !== 'locked' || !agreement) return refuse('not_locked', 'only a locked room (a signed agreement) can be amended')
  for (const id of [...room.amendments].reverse()) {
    const rec = await store.getRoom(id)
    if (rec && (registry.loaded(id)?.phase ?? rec.phase) === 'negotiating') return { roomId: id, invites: rec.meta.invites, existing: true }
  }
  // The borrower's declared situation is theirs to state again; everything agreed is carried over.
  const { terms, profile: _profile, ...rest } = agreement.content
  const checked = checkContent(agreement.content)
  const invites = room.record.meta.invites
  const record = await createRoom(store, {
    title: room.record.title,
    currency: room.record.currency,
    terms: terms as unknown as Terms,
    // What is being amended: the agreed (effective) terms are the "before" of the new room.
    ...(checked.ok ? { original: checked.value.terms } : {}),
    invites,
    ...(room.record.meta.lenderInstitution ? { lenderInstitution: room.record.meta.lenderInstitution } : {}),
    prefill: rest,
    amendmentOf: room.id,
    // An amendment stays with the organisation (and the staff) of the agreement it amends.
    org: { orgId: room.record.meta.orgId, createdBy: room.record.meta.createdBy, assignedTo: room.record.meta.assignedTo },
  })
  await room.recordAmendment(actor, record.id)
  return { roomId: record.id, invites, existing: false }
}
