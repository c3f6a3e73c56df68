// Messages between SqliteStore (main thread) and its writer thread.
import type { AppendedEvent } from './SqliteWriter.ts'
import type { Role } from '../../shared/protocol/room.ts'
import type { AppendOptions, NewEvent, NewRoom, Snapshot } from './Store.ts'
import type { OutboxRow } from './outboxRows.ts'
import type { OutboxWrite } from './sqliteOutbox.ts'
import type { OrgWrite } from './sqliteOrgs.ts'

export type WriterRequest =
  | { id: number; op: 'append'; roomId: string; events: NewEvent[]; options?: AppendOptions }
  | { id: number; op: 'createRoom'; room: NewRoom; events: NewEvent[] }
  | { id: number; op: 'snapshot'; roomId: string; snapshot: Snapshot }
  | { id: number; op: 'reset'; roomId: string }
  | { id: number; op: 'revokeInvites'; roomId: string; roles: Role[] }
  | { id: number; op: 'outbox'; write: OutboxWrite }
  | { id: number; op: 'orgs'; write: OrgWrite }
  | { id: number; op: 'close' }

/** What a request answers: an append its events, an outbox write its rows, an organisation write the rows it changed. */
export type WriterValue = AppendedEvent[] | OutboxRow[] | number

export type WriterResponse = { id: number; ok: true; value?: WriterValue } | { id: number; ok: false; error: string; refused?: boolean }

/** A request without its id, as the store makes it. */
export type WriterCall = WriterRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never
