// Who may write what into the shared document: roles per root, client ids bound to the first role that
// wrote with them, the baseline frozen once a party confirmed, the size quotas; then apply-and-capture.
import * as Y from 'yjs'
import { contentHashOfDoc } from '../../shared/content/contentHash.ts'
import { ROOT, WRITERS, type RootName } from '../../shared/document/roomDoc.ts'
import { refuse, type Refusal } from '../../shared/protocol/errors.ts'
import type { Actor, ActorRole, PartyRole, Phase } from '../../shared/protocol/room.ts'
import { baselineWriteRefusal } from '../../shared/document/baselineGuard.ts'
import type { LoadedRoom, Snapshot } from '../store/Store.ts'
import { inspectUpdate, type RootKinds } from './inspectUpdate.ts'
import { DEFAULT_QUOTAS, RoomQuotas, type QuotaLimits } from './RoomQuotas.ts'

export const ROOT_KINDS: RootKinds = new Map(
  Object.values(ROOT).map((name) => [name, name === ROOT.clauses ? 'text' : 'map'] as const),
)

/** What the gate let through: `effective` is what changed (null: nothing), `leftover` a refusal of what did not integrate. */
export type Admitted = { effective: Uint8Array | null; leftover: Refusal | null }

export class UpdateGate {
  /** Yjs client id → the role that first wrote with it (no one may write with another's client id). */
  private readonly owners = new Map<number, ActorRole>()
  /** Decides updates and attachments against the room's quotas (set once the stored document is loaded). */
  quotas!: RoomQuotas

  constructor(private readonly doc: Y.Doc) {}

  /** The stored document: the snapshot, then the updates after it. */
  restore(loaded: LoadedRoom): void {
    if (loaded.snapshot) {
      Y.applyUpdate(this.doc, loaded.snapshot.state)
      for (const [client, role] of Object.entries(loaded.snapshot.owners)) this.owners.set(Number(client), role)
    }
    this.doc.transact(() => {
      for (const e of loaded.updates) {
        const update = e.payload as Uint8Array
        Y.applyUpdate(this.doc, update)
        this.own(update, e.actor.role)
      }
    })
  }

  /** The quotas, measured from the loaded document. */
  limit(limits: QuotaLimits = DEFAULT_QUOTAS): void {
    this.quotas = new RoomQuotas(limits, this.doc)
  }

  /**
   * SHA-256 of the agreed content (shared/content/contentHash.ts). A room loaded over its quota (read-only) may hold a
   * document stored before quotas existed, too large to serialise (V8's string limit): it then has no hash (''), which
   * no confirmation matches, and still opens.
   */
  contentHash(): string {
    if (!this.quotas?.overOnLoad) return contentHashOfDoc(this.doc)
    try {
      return contentHashOfDoc(this.doc)
    } catch (err) {
      if (err instanceof RangeError) return ''
      throw err
    }
  }

  /** The role that first wrote to the document with this Yjs client id. */
  writerRole(client: number): ActorRole | undefined {
    return this.owners.get(client)
  }

  /**
   * Checks and applies one update from `actor`, synchronously; a sync that changes nothing passes even after the lock
   * or during a pause (`paused`: the refusal of a change while a cooling-off pause is in force, else null).
   */
  admit(actor: Actor, update: Uint8Array, origin: unknown, phase: Phase, confirmed: readonly PartyRole[], paused: Refusal | null = null): Admitted | Refusal {
    if (actor.role === 'observer') return refuse('read_only', 'observers cannot edit the proposal')
    if (actor.role === 'system') return refuse('forbidden_write', 'the server does not edit through updates')

    const inspection = inspectUpdate(this.doc, ROOT_KINDS, update)
    if (inspection.kind === 'invalid') return refuse('invalid_update', inspection.message)
    // After the lock nothing applies; a reconnecting client's sync that changes nothing is still fine.
    if (phase !== 'negotiating') {
      return inspection.kind === 'noop' ? NOTHING : refuse('locked', 'the room is locked; the agreement cannot change')
    }
    if (paused) return inspection.kind === 'noop' ? NOTHING : paused
    if (inspection.kind === 'missing') return refuse('missing_dependencies', inspection.message)
    if (inspection.kind === 'noop') return NOTHING

    for (const root of inspection.roots) {
      const writers = WRITERS[root as RootName] as readonly string[] | undefined
      if (!writers) return refuse('forbidden_write', `"${root}" is not part of the proposal`)
      if (!writers.includes(actor.role)) return refuse('forbidden_write', `the ${actor.role} may not write ${root}`)
    }
    for (const client of inspection.clients) {
      const owner = this.owners.get(client)
      if (owner !== undefined && owner !== actor.role) {
        return refuse('forbidden_write', `client id ${client} belongs to the ${owner}`)
      }
    }
    const frozen = baselineWriteRefusal(inspection.roots, confirmed)
    if (frozen) return refuse(frozen.code, frozen.message)
    // Before anything is applied or stored (issue #14: a document past V8's string limit crashed every join).
    const overQuota = this.quotas.checkUpdate(update, inspection.growth)
    if (overQuota) return overQuota

    const effective = applyCapturing(this.doc, update, origin)
    // The inspection rules out missing dependencies; a cycle between two client ids in one forged
    // update could still leave structs pending. Drop them: what did integrate was checked and is kept.
    let leftover: Refusal | null = null
    if (this.doc.store.pendingStructs || this.doc.store.pendingDs) {
      this.doc.store.pendingStructs = null
      this.doc.store.pendingDs = null
      leftover = refuse('invalid_update', 'the update has circular dependencies')
    }
    for (const client of inspection.clients) if (!this.owners.has(client)) this.owners.set(client, actor.role)
    if (effective) this.quotas.accepted(effective)
    return { effective, leftover }
  }

  /** Another process's committed update: applied as it is (its node checked it); returns what changed. */
  absorb(update: Uint8Array, role: ActorRole, origin: unknown): Uint8Array | null {
    this.own(update, role)
    const effective = applyCapturing(this.doc, update, origin)
    if (effective) this.quotas.accepted(effective)
    return effective
  }

  /** The committed document and who owns its client ids. */
  snapshot(seq: number): Snapshot {
    return { seq, state: Y.encodeStateAsUpdate(this.doc), owners: Object.fromEntries([...this.owners].map(([c, r]) => [String(c), r])) }
  }

  private own(update: Uint8Array, role: ActorRole): void {
    for (const client of Y.parseUpdateMeta(update).to.keys()) if (!this.owners.has(client)) this.owners.set(client, role)
  }
}

const NOTHING: Admitted = { effective: null, leftover: null }

/** Applies an update and returns what it changed in the document (null: nothing, it was known already). */
function applyCapturing(doc: Y.Doc, update: Uint8Array, origin: unknown): Uint8Array | null {
  let effective: Uint8Array | null = null
  const capture = (u: Uint8Array): void => {
    effective = u
  }
  doc.on('update', capture)
  try {
    Y.applyUpdate(doc, update, origin)
  } finally {
    doc.off('update', capture)
  }
  return effective
}
