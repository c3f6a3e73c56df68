// A room stored before quotas existed, too large for its content hash (issue #14: the merged clauses
// "reload just under V8's string limit"), still opens: read-only, with the reason, and without a hash.
import { afterEach, describe, expect, it, vi } from 'vitest'
import * as Y from 'yjs'
import { borrower, createSampleRoom, silentLog as log } from '../../test/support/room/roomFixtures.ts'
import { SqliteStore } from '../store/SqliteStore.ts'
import { loadRoom } from './loadRoom.ts'
import type { RoomListener } from './RoomListener.ts'

/** Serialising more than this many clause characters throws here, as V8 does near 512 M. */
const TOO_LONG_TO_HASH = 1_000

vi.mock('../../shared/content/contentHash.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../shared/content/contentHash.ts')>()
  return {
    ...real,
    contentHashOfDoc: (doc: Y.Doc): string => {
      if (doc.getText('clauses').length > TOO_LONG_TO_HASH) throw new RangeError('Invalid string length')
      return real.contentHashOfDoc(doc)
    },
  }
})

const quiet: RoomListener = { update: () => {}, chat: () => {}, event: () => {}, state: () => {}, failed: () => {}, watching: () => false }

describe('a room over its quota on load', () => {
  let store: SqliteStore
  afterEach(async () => {
    await store.close()
  })

  it('opens read-only with the reason even when its content is too large to hash', async () => {
    store = new SqliteStore(':memory:')
    const id = await createSampleRoom(store)
    const before = (await loadRoom(id, { store, log, listener: quiet, snapshotEvery: 1000 }))!
    const client = new Y.Doc()
    Y.applyUpdate(client, Y.encodeStateAsUpdate(before.doc))
    const sv = Y.encodeStateVector(client)
    client.getText('clauses').insert(0, 'x'.repeat(2 * TOO_LONG_TO_HASH))
    const r = before.applyUpdate(borrower, Y.encodeStateAsUpdate(client, sv))
    expect(r.ok).toBe(true)
    await before.whenIdle()
    before.dispose()

    const room = (await loadRoom(id, { store, log, listener: quiet, snapshotEvery: 1000, quotas: { ...lowQuotas() } }))!
    expect(room.state.readOnly).toMatch(/over its size limit \(clauses: 2000 of 1500 characters\) and is read-only/)
    expect(room.state.currentHash).toBe('')
    client.getMap('terms').set('termMonths', 24)
    expect(room.applyUpdate(borrower, Y.encodeStateAsUpdate(client, Y.encodeStateVector(room.doc)))).toMatchObject({ ok: false, error: 'quota_exceeded' })
    expect(await room.confirm(borrower, { hash: '', fullName: 'Bo Borrower' })).toMatchObject({ ok: false, error: 'quota_exceeded' })
    expect(await room.sendChat(borrower, { clientId: 'c1', text: 'still talking' })).toMatchObject({ ok: true })
    room.dispose()
  })
})

function lowQuotas() {
  return { maxDocBytes: 1024 * 1024, maxClausesChars: 1_500, maxUpdateBytes: 1024 * 1024, maxAttachments: 10, maxAttachmentBytes: 1024 * 1024 }
}
