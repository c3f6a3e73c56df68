// Decides, before anything is applied, what a Yjs update would do to the room's document:
// which root types it writes, which client ids it extends, and whether all of its dependencies
// are there. Nothing here mutates the document, so a refused update leaves no trace
// (readSyncStep2 in y-protocols would apply first and only log errors: yjs #479, #713).
import * as Y from 'yjs'

export type Inspection =
  | { kind: 'noop' }
  | {
      kind: 'changes'
      /** Root type names written: inserted into, or with items deleted. */
      roots: Set<string>
      /** Client ids whose clock the update extends (new structs). */
      clients: Set<number>
      /** What the new structs add (RoomQuotas decides on it before anything is applied). */
      growth: Growth
    }
  | { kind: 'invalid'; message: string }
  | { kind: 'missing'; message: string }

export interface Growth {
  /** Characters of new strings per root. */
  insertedChars: Map<string, number>
  /** Bytes of new content plus a per-item overhead. */
  insertedBytes: number
}

/** About what one item costs in an encoded update besides its content (ids, origins, info byte). */
const ITEM_OVERHEAD_BYTES = 16

/** Shape of each root: maps hold keyed scalars, texts hold strings (and formatting). */
export type RootKinds = ReadonlyMap<string, 'map' | 'text'>

type Struct = Y.Item | Y.GC | Y.Skip
type DeleteSet = ReturnType<typeof Y.decodeUpdate>["ds"]

interface DecodedItem extends Y.Item {
  // decodeUpdate leaves the root's name (a string) or the parent item's ID here.
  parent: Y.AbstractType<unknown> | Y.ID | null
}

/** Longest run of deleted content accepted in one item (a client's offline typing, at most). */
const MAX_DELETED_LENGTH = 10_000_000

export function inspectUpdate(doc: Y.Doc, rootKinds: RootKinds, update: Uint8Array): Inspection {
  let decoded: { structs: Struct[]; ds: DeleteSet }
  try {
    decoded = Y.decodeUpdate(update) as { structs: Struct[]; ds: DeleteSet }
  } catch (err) {
    return { kind: 'invalid', message: `undecodable update (${(err as Error).message || 'decode error'})` }
  }
  try {
    return new Inspector(doc, rootKinds).run(decoded.structs, decoded.ds)
  } catch (err) {
    // The checks above should make lookups safe; anything that still throws is a malformed update.
    return { kind: 'invalid', message: `malformed update (${(err as Error).message || 'error'})` }
  }
}

class Inspector {
  private readonly store: Y.Doc['store']
  /** Update structs per client, sorted by clock. */
  private readonly byClient = new Map<number, Y.Item[]>()
  /** Clock each client reaches once the update's contiguous new structs are in. */
  private readonly reach = new Map<number, number>()
  private readonly rootMemo = new Map<Y.Item, string | null>()
  private readonly typeNames = new Map<unknown, string>()

  constructor(
    doc: Y.Doc,
    private readonly rootKinds: RootKinds,
  ) {
    this.store = doc.store
    for (const [name, type] of doc.share) this.typeNames.set(type, name)
  }

  run(structs: Struct[], ds: DeleteSet): Inspection {
    for (const s of structs) {
      if (s instanceof Y.Skip) return { kind: 'invalid', message: 'update has gaps (skip structs)' }
      if (s instanceof Y.GC) return { kind: 'invalid', message: 'garbage-collected structs are not accepted from clients' }
      let list = this.byClient.get(s.id.client)
      if (!list) this.byClient.set(s.id.client, (list = []))
      list.push(s as Y.Item)
    }

    const fresh: Y.Item[] = []
    const clients = new Set<number>()
    for (const [client, list] of this.byClient) {
      list.sort((a, b) => a.id.clock - b.id.clock)
      let next = Y.getState(this.store, client)
      for (const item of list) {
        const end = item.id.clock + item.length
        if (end <= next) continue // already known
        if (item.id.clock > next) {
          return { kind: 'missing', message: `client ${client} continues at clock ${item.id.clock}, the room has ${next}` }
        }
        fresh.push(item)
        clients.add(client)
        next = end
      }
      this.reach.set(client, next)
    }

    const roots = new Set<string>()
    const growth: Growth = { insertedChars: new Map(), insertedBytes: 0 }
    for (const item of fresh) {
      const problem = this.checkItem(item as DecodedItem)
      if (problem) return problem
      const root = this.rootOfItem(item)
      if (root === null) return { kind: 'invalid', message: `cannot tell which root ${idText(item.id)} belongs to` }
      if (!this.neighboursAgree(item, root)) return { kind: 'invalid', message: `${idText(item.id)} sits between two root types` }
      roots.add(root)
      grow(growth, root, item)
    }

    let deletes = false
    for (const [client, ranges] of ds.clients) {
      const known = Y.getState(this.store, client)
      const reach = this.reach.get(client) ?? known
      for (const { clock, len } of ranges) {
        const end = clock + len
        if (end > reach) return { kind: 'missing', message: `deletes ${client}:${clock}+${len} that the room does not have` }
        if (clock < known) {
          const structs = this.store.clients.get(client)!
          for (let i = Y.findIndexSS(structs, clock); i < structs.length && structs[i]!.id.clock < Math.min(end, known); i++) {
            const s = structs[i]!
            // Deleting what is already deleted changes nothing (a client's sync step 2 repeats its whole delete set).
            if (!(s instanceof Y.Item) || s.deleted) continue
            const root = this.typeNames.get(s.parent)
            if (root === undefined) return { kind: 'invalid', message: `deletes ${idText(s.id)} outside the root types` }
            roots.add(root)
            deletes = true
          }
        }
        if (end > known) {
          for (const item of this.byClient.get(client) ?? []) {
            if (item.id.clock + item.length <= Math.max(clock, known) || item.id.clock >= end) continue
            const root = this.rootOfItem(item)
            if (root === null) return { kind: 'invalid', message: `cannot tell which root ${idText(item.id)} belongs to` }
            roots.add(root)
            deletes = true
          }
        }
      }
    }

    if (fresh.length === 0 && !deletes) return { kind: 'noop' }
    return { kind: 'changes', roots, clients, growth }
  }

  private checkItem(item: DecodedItem): Inspection | null {
    for (const ref of [item.origin, item.rightOrigin, item.parent instanceof Y.ID ? item.parent : null]) {
      if (!ref) continue
      if (ref.client === item.id.client) {
        // Yjs assumes a client's own references point backwards; a forward one would hang or throw mid-apply.
        if (ref.clock >= item.id.clock) return { kind: 'invalid', message: `${idText(item.id)} refers forward to ${idText(ref)}` }
      } else if (ref.clock >= Math.max(Y.getState(this.store, ref.client), this.reach.get(ref.client) ?? 0)) {
        return { kind: 'missing', message: `${idText(item.id)} depends on ${idText(ref)}` }
      }
    }
    if (item.parent instanceof Y.ID) return { kind: 'invalid', message: 'nested types are not part of the room document' }
    const content = item.content
    const explicitParent = typeof item.parent === 'string' ? (item.parent as string) : null
    const kind = explicitParent !== null ? this.rootKinds.get(explicitParent) : undefined
    if (explicitParent !== null && kind === undefined) return { kind: 'invalid', message: `unknown root type "${explicitParent}"` }
    if (explicitParent !== null && (kind === 'map') !== (item.parentSub !== null)) {
      return { kind: 'invalid', message: `root "${explicitParent}" is a ${kind}` }
    }
    if (content instanceof Y.ContentString || content instanceof Y.ContentFormat) return null
    if (content instanceof Y.ContentDeleted) {
      return content.len > MAX_DELETED_LENGTH ? { kind: 'invalid', message: 'deleted run too long' } : null
    }
    if (content instanceof Y.ContentAny) {
      for (const v of content.arr) {
        if (v === null || typeof v === 'string' || typeof v === 'boolean') continue
        if (typeof v === 'number' && Number.isFinite(v)) continue
        return { kind: 'invalid', message: 'map values are numbers, strings or booleans' }
      }
      return null
    }
    return { kind: 'invalid', message: `${content.constructor.name} is not part of the room document` }
  }

  /** The root an ID lives in, or null when it cannot be resolved. */
  private rootOfId(id: Y.ID): string | null {
    if (id.clock < Y.getState(this.store, id.client)) {
      const s = Y.getItem(this.store, id) as Y.Item | Y.GC
      return s instanceof Y.Item ? (this.typeNames.get(s.parent) ?? null) : null
    }
    const item = this.findInUpdate(id)
    return item ? this.rootOfItem(item) : null
  }

  /** Follows left (else right) origins iteratively (an update may chain thousands of items), memoised, cycle-safe. */
  private rootOfItem(start: Y.Item): string | null {
    const path: Y.Item[] = []
    const onPath = new Set<Y.Item>()
    let cur: Y.Item = start
    let result: string | null = null
    for (;;) {
      const memo = this.rootMemo.get(cur)
      if (memo !== undefined) {
        result = memo
        break
      }
      if (onPath.has(cur)) break
      path.push(cur)
      onPath.add(cur)
      const parent = (cur as DecodedItem).parent
      if (typeof parent === 'string') {
        result = parent
        break
      }
      if (parent !== null) break // nested: refused elsewhere
      const ref = cur.origin ?? cur.rightOrigin
      if (!ref) break
      const next = this.refRoot(ref)
      if (next instanceof Y.Item) {
        cur = next
        continue
      }
      result = next
      break
    }
    for (const p of path) this.rootMemo.set(p, result)
    return result
  }

  /** An item between two neighbours of different roots is forged (Yjs would take the left one's). */
  private neighboursAgree(item: Y.Item, root: string): boolean {
    if (!item.origin || !item.rightOrigin) return true
    const right = this.refRoot(item.rightOrigin)
    return (right instanceof Y.Item ? this.rootOfItem(right) : right) === root
  }

  /** A neighbour's root if it is in the document, or the update item to follow. */
  private refRoot(id: Y.ID): string | null | Y.Item {
    if (id.clock < Y.getState(this.store, id.client)) return this.rootOfId(id)
    return this.findInUpdate(id) ?? null
  }

  private findInUpdate(id: Y.ID): Y.Item | undefined {
    const list = this.byClient.get(id.client)
    if (!list) return undefined
    let lo = 0
    let hi = list.length - 1
    while (lo <= hi) {
      const mid = (lo + hi) >> 1
      const s = list[mid]!
      if (id.clock < s.id.clock) hi = mid - 1
      else if (id.clock >= s.id.clock + s.length) lo = mid + 1
      else return s
    }
    return undefined
  }
}

/** Counts an item's content (checkItem has allowed only strings, formats, deleted runs and scalars). */
function grow(growth: Growth, root: string, item: Y.Item): void {
  const content = item.content
  let bytes = ITEM_OVERHEAD_BYTES + (item.parentSub?.length ?? 0)
  if (content instanceof Y.ContentString) {
    growth.insertedChars.set(root, (growth.insertedChars.get(root) ?? 0) + content.str.length)
    bytes += Buffer.byteLength(content.str)
  } else if (content instanceof Y.ContentAny) {
    for (const v of content.arr) bytes += typeof v === 'string' ? Buffer.byteLength(v) : 9
  } else if (content instanceof Y.ContentFormat) {
    bytes += Buffer.byteLength(content.key) + Buffer.byteLength(JSON.stringify(content.value) ?? '')
  }
  growth.insertedBytes += bytes
}

function idText(id: Y.ID): string {
  return `${id.client}:${id.clock}`
}
