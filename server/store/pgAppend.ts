// Event writing on PostgreSQL: a room's batch chained by eventChain (seq, ts, hashes, chat
// de-duplication) into rows, and the rows inserted in as few statements as fit.
import type pg from 'pg'
import { AppendRefusedError } from './Store.ts'
import type { AppendOptions, AppendResult, JsonPayload, NewEvent, StoredEvent } from './Store.ts'
import { appendToChain, type ChainWriter, type Head } from './eventChain.ts'
import { storedPayload } from './rows.ts'
import { WEBHOOK_SOURCES, webhookOf, type OutboxMessage } from '../webhooks/webhookOf.ts'

const INSERT_COLUMNS =
  'room_id, seq, ts, actor_role, actor_name, actor_staff_id, actor_org_id, type, payload_bytes, payload_json, client_id, prev_hash, hash'
const INSERT_WIDTH = 13
/** Rows per INSERT statement (PostgreSQL allows 65535 parameters). */
const INSERT_CHUNK = 1000

/** One append() call: its events, committed (or refused) together. */
export interface AppendCall {
  events: NewEvent[]
  options?: AppendOptions
}

/** Per request: its results, or why it was refused. */
export type Outcome = AppendResult[] | Error

/** The events of one room's batch, built against the head read under the room's lock. */
export interface Built {
  outcomes: Outcome[]
  rows: unknown[][]
  /** Webhook outbox rows the events cause (when webhooks are on), for the same transaction. */
  outbox: OutboxMessage[]
  phase?: Head['phase']
  agreementHash?: string
}

export const earlierFailed = (roomId: string): Error => new Error(`an earlier append for room ${roomId} failed`)

/** Assigns seq, ts and hashes to a room's batch, in order, from `head`; a refused request ends the batch. */
export function buildBatch(roomId: string, head: Head, batch: readonly AppendCall[], known: Map<string, StoredEvent>, webhooks = false): Built {
  const built: Built = { outcomes: [], rows: [], outbox: [] }
  const now = Date.now()
  const writer: ChainWriter = {
    storedChat: (clientId) => known.get(clientId),
    write(event, source, phase) {
      const { bytes, json } = storedPayload(source)
      const clientId = event.type === 'chat' && source.clientId !== undefined ? source.clientId : null
      const { seq, ts, actor, type } = event
      built.rows.push([roomId, seq, ts, actor.role, actor.name, actor.staffId ?? null, actor.orgId ?? null, type, bytes, json, clientId, event.prevHash, event.hash])
      // A later message with this clientId gets the stored form back, as if read from the database.
      if (clientId !== null) known.set(clientId, { ...event, payload: JSON.parse(json!) as JsonPayload })
      if (webhooks && WEBHOOK_SOURCES.has(type)) {
        const message = webhookOf(event, phase)
        if (message) built.outbox.push(message)
      }
    },
  }
  for (const p of batch) {
    try {
      const chained = appendToChain(roomId, head, p.events, p.options, now, writer)
      head = chained.head
      built.outcomes.push(chained.results)
    } catch (err) {
      if (!(err instanceof AppendRefusedError)) throw err
      built.outcomes.push(err)
      break
    }
    if (p.options?.phase !== undefined) built.phase = p.options.phase
    if (p.options?.agreementHash !== undefined) built.agreementHash = p.options.agreementHash
  }
  // After a refusal, the rest of the batch is refused too (the room waits to be reloaded).
  while (built.outcomes.length < batch.length) built.outcomes.push(earlierFailed(roomId))
  return built
}

export async function insertRows(c: pg.PoolClient, rows: unknown[][]): Promise<void> {
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
    const chunk = rows.slice(i, i + INSERT_CHUNK)
    const values = chunk.map((_, r) => `(${Array.from({ length: INSERT_WIDTH }, (_, k) => `$${r * INSERT_WIDTH + k + 1}`).join(', ')})`)
    const text = `INSERT INTO events (${INSERT_COLUMNS}) VALUES ${values.join(', ')}`
    // Named (prepared once per connection) for the usual small batches.
    const name = chunk.length <= 16 ? `insert_events_${chunk.length}` : undefined
    await c.query({ ...(name ? { name } : {}), text, values: chunk.flat() })
  }
}
