// Opening a room from the store: the latest snapshot and the updates after it, recent chat, who was there,
// then what the room keeps in full (attachments; confirmations, the lock, ratings and amendments).
import { CHAT_HISTORY_LIMIT } from '../../shared/protocol/chat.ts'
import type { StoredEvent } from '../store/Store.ts'
import { toAttachmentInfo } from './eventViews.ts'
import { Room } from './Room.ts'
import type { RoomOptions } from './RoomSettings.ts'

/** Log types the room reads in full when it loads (few per room): confirmations, the lock, ratings, amendments, pauses. */
const DECISION_TYPES = ['confirm', 'withdraw', 'cleared', 'lock', 'rating', 'amend', 'paused', 'resumed'] as const

/** The room, or null when the store has no such room. */
export async function loadRoom(id: string, options: RoomOptions): Promise<Room | null> {
  const { store, log } = options
  const loaded = await store.loadRoom(id, CHAT_HISTORY_LIMIT)
  if (!loaded) return null
  const room = new Room(loaded.record, options)
  room.restore(loaded)
  room.gate.limit(options.quotas)
  if (room.gate.quotas.overOnLoad) log.warn({ roomId: id, reason: room.gate.quotas.overOnLoad }, 'room is over a quota; it opens read-only')
  // Read after the load's snapshot of the log: with other processes appending, later events come through the follower.
  const upTo = (e: StoredEvent): boolean => e.seq <= loaded.record.lastSeq
  for (const e of await store.readEventsOfType(id, 'attachment')) if (upTo(e)) room.evidence.remember(toAttachmentInfo(e))
  const decisions = (await Promise.all(DECISION_TYPES.map((t) => store.readEventsOfType(id, t)))).flat().filter(upTo)
  room.decisions.restore(decisions)
  room.feedback.restore(decisions)
  room.coolingOff.restore(decisions, room.sync.closesDanglingSessions)
  for (const e of [...decisions].sort((a, b) => a.seq - b.seq)) {
    if (e.type === 'amend' && !(e.payload instanceof Uint8Array) && typeof e.payload.roomId === 'string') room.amendments.push(e.payload.roomId)
  }
  return room
}
