// The archive's envelope (outside the hash chain) against what the hashed creation event says.
import { isObject } from '../schema/isObject.ts'
import type { ArchiveProblem } from './archiveProblem.ts'
import type { ArchiveFile } from './archiveFile.ts'

/** The room id hashed into the creation event (seq 1), which rooms created since the binding carry; else null. */
export function boundRoomId(archive: ArchiveFile): string | null {
  const create = archive.events[0]
  const id = create && create.type === 'create' && isObject(create.payload) ? create.payload['roomId'] : undefined
  return typeof id === 'string' ? id : null
}

/** The envelope is outside the chain; what the hashed creation event also says must agree with it. */
export function envelopeProblems(archive: ArchiveFile): ArchiveProblem[] {
  const create = archive.events[0]
  if (!create || create.type !== 'create' || !isObject(create.payload)) return []
  const out: ArchiveProblem[] = []
  const bound = boundRoomId(archive)
  if (bound !== null && bound !== archive.roomId) {
    out.push({
      code: 'room_mismatch',
      seq: null,
      message: `the archive is labelled room ${JSON.stringify(archive.roomId)}, but its log was created for room ${JSON.stringify(bound)} (seq 1)`,
    })
  }
  for (const field of ['title', 'currency'] as const) {
    const hashed = create.payload[field]
    if (typeof hashed === 'string' && hashed !== archive[field]) {
      out.push({
        code: 'envelope_mismatch',
        seq: null,
        message: `the archive's ${field} ${JSON.stringify(archive[field])} is not the room's (${JSON.stringify(hashed)} at seq 1)`,
      })
    }
  }
  return out
}
