// The store conformance suite on SQLite: in memory, and on a file with each writer (in-thread, the default; worker thread).
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
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
