// The writer thread: owns the only write connection, commits whatever arrived while the previous
// commit (and its fsync) was running as one transaction.
import { parentPort, workerData } from 'node:worker_threads'
import { openDatabase, type Synchronous } from './sqliteSchema.ts'
import { SqliteWriter, type AppendRequest } from './SqliteWriter.ts'
import type { WriterRequest, WriterResponse } from './writerProtocol.ts'

const { file, synchronous, webhooks } = workerData as { file: string; synchronous: Synchronous; webhooks: boolean }
const db = openDatabase(file, synchronous)
const writer = new SqliteWriter(db, { webhooks })
const port = parentPort!

let pending: { id: number; request: AppendRequest }[] = []
let scheduled = false
let replies: WriterResponse[] = []

/** Answers go out together at the end of the batch. */
function reply(r: WriterResponse): void {
  replies.push(r)
}

function sendReplies(): void {
  if (replies.length === 0) return
  port.postMessage(replies)
  replies = []
}

function flushAppends(): void {
  const batch = pending
  pending = []
  if (batch.length === 0) return
  const outcomes = writer.appendBatch(batch.map((p) => p.request))
  batch.forEach((p, i) => {
    const o = outcomes[i]!
    reply(o.ok ? { id: p.id, ok: true, value: o.events } : { id: p.id, ok: false, error: o.error, refused: o.refused })
  })
}

function flush(): void {
  scheduled = false
  flushAppends()
  sendReplies()
}

function handle(m: WriterRequest): void {
  if (m.op === 'append') {
    pending.push({ id: m.id, request: { roomId: m.roomId, events: m.events, options: m.options } })
    return
  }
  // Everything else keeps its place after the appends that came before it.
  flushAppends()
  try {
    if (m.op === 'outbox') {
      reply({ id: m.id, ok: true, value: writer.outboxWrite(m.write) })
      return
    }
    if (m.op === 'orgs') {
      reply({ id: m.id, ok: true, value: writer.orgWrite(m.write) })
      return
    }
    switch (m.op) {
      case 'createRoom':
        writer.createRoom(m.room, m.events)
        break
      case 'snapshot':
        writer.saveSnapshot(m.roomId, m.snapshot)
        break
      case 'reset':
        writer.reset(m.roomId)
        break
      case 'revokeInvites':
        writer.revokeInvites(m.roomId, m.roles)
        break
      case 'close':
        db.close()
        reply({ id: m.id, ok: true })
        sendReplies()
        port.close()
        return
    }
    reply({ id: m.id, ok: true })
  } catch (err) {
    reply({ id: m.id, ok: false, error: (err as Error).message || String(err) })
  }
}

// Messages that queued up during a commit are all handled before the next one: one transaction.
port.on('message', (batch: WriterRequest[]) => {
  for (const m of batch) handle(m)
  if (!scheduled) {
    scheduled = true
    setImmediate(flush)
  }
})
