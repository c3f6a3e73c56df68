// The store conformance suite on SQLite: in memory, and on a file with each writer (in-thread, the default; worker thread).
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { verifyChain } from '../../shared/protocol/eventLog.ts'
import { toArchiveEvent } from './Store.ts'
import { SqliteStore } from './SqliteStore.ts'
import { describeStore } from '../../test/support/store/storeConformance.ts'
import { describeOutbox } from '../../test/support/store/outboxConformance.ts'
import { describeOrgStore } from '../../test/support/store/orgConformance.ts'

const files = new WeakMap<SqliteStore, string>()

function openFile(file: string, writerThread = false): SqliteStore {
  const s = new SqliteStore(file, { writerThread })
  files.set(s, file)
  return s
}

const tempFile = (): string => path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'store-test-')), 'db.sqlite')

// Raw SQL on the reading connection: the triggers refuse it whoever writes.
const exec = async (s: SqliteStore, sql: string): Promise<unknown> => s.db.prepare(sql).run()

describeStore('SqliteStore (memory, inline writer)', {
  open: async () => new SqliteStore(':memory:'),
  exec,
})

describeStore('SqliteStore (file, inline writer)', {
  open: async () => openFile(tempFile()),
  reopen: async (s) => openFile(files.get(s)!),
  exec,
})

describeStore('SqliteStore (file, writer thread)', {
  open: async () => openFile(tempFile(), true),
  reopen: async (s) => openFile(files.get(s)!, true),
  exec,
})

describeOutbox('SqliteStore webhook outbox (inline writer)', {
  open: async (webhooks) => new SqliteStore(tempFile(), { webhooks }),
})

describeOutbox('SqliteStore webhook outbox (writer thread)', {
  open: async (webhooks) => new SqliteStore(tempFile(), { webhooks, writerThread: true }),
})

describeOrgStore('SqliteStore organisations (memory, inline writer)', {
  open: async () => new SqliteStore(':memory:'),
})

describeOrgStore('SqliteStore organisations (writer thread)', {
  open: async () => new SqliteStore(tempFile(), { writerThread: true }),
})

describe('SqliteStore schema version 5', () => {
  it('adds the staff columns to a version-4 database and keeps its events and their hashes', async () => {
    const file = tempFile()
    const s = openFile(file)
    await s.createRoom({ id: 'a', title: 'A', currency: 'CNY', meta: { invites: [] } }, [{ actor: { role: 'lender', name: 'Bank' }, type: 'chat', payload: { id: 'm', clientId: 'c', text: 'hi' }, clientId: 'c' }])
    await s.close()
    // Back to version 4: the events table as it was before the staff columns.
    const db = new Database(file)
    db.exec('ALTER TABLE events DROP COLUMN actor_staff_id; ALTER TABLE events DROP COLUMN actor_org_id')
    db.pragma('user_version = 4')
    db.close()
    const again = openFile(file)
    try {
      await again.append('a', [{ actor: { role: 'lender', name: 'Ben', staffId: 'stf_1', orgId: 'org_1' }, type: 'join', payload: {} }])
      const events = await again.readEvents('a')
      expect(events.map((e) => e.actor)).toEqual([
        { role: 'lender', name: 'Bank' },
        { role: 'lender', name: 'Ben', staffId: 'stf_1', orgId: 'org_1' },
      ])
      expect(verifyChain(events.map(toArchiveEvent))).toMatchObject({ ok: true })
      expect(again.db.pragma('user_version', { simple: true })).toBe(5)
    } finally {
      await again.close()
    }
  })
})
