// Forged updates a normal client never sends: each must be judged without touching the document.
import * as encoding from 'lib0/encoding'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { inspectUpdate } from './inspectUpdate.ts'
import { ROOT_KINDS } from './Room.ts'

const BIT6 = 32
const BIT7 = 64
const BIT8 = 128
const STRING = 4

interface ItemSpec {
  client: number
  clock: number
  text: string
  origin?: [number, number]
  rightOrigin?: [number, number]
  parent?: string
  parentSub?: string
}

/** Encodes items (one client each, in order) and an optional delete set, as update format v1. */
function forge(items: ItemSpec[], deletes: [number, number, number][] = []): Uint8Array {
  const enc = new Y.UpdateEncoderV1()
  encoding.writeVarUint(enc.restEncoder, items.length)
  for (const it of items) {
    encoding.writeVarUint(enc.restEncoder, 1)
    enc.writeClient(it.client)
    encoding.writeVarUint(enc.restEncoder, it.clock)
    const info = STRING | (it.origin ? BIT8 : 0) | (it.rightOrigin ? BIT7 : 0) | (it.parentSub ? BIT6 : 0)
    enc.writeInfo(info)
    if (it.origin) enc.writeLeftID(Y.createID(...it.origin))
    if (it.rightOrigin) enc.writeRightID(Y.createID(...it.rightOrigin))
    if (!it.origin && !it.rightOrigin) {
      enc.writeParentInfo(true)
      enc.writeString(it.parent!)
      if (it.parentSub) enc.writeString(it.parentSub)
    }
    enc.writeString(it.text)
  }
  encoding.writeVarUint(enc.restEncoder, deletes.length)
  for (const [client, clock, len] of deletes) {
    encoding.writeVarUint(enc.restEncoder, client)
    encoding.writeVarUint(enc.restEncoder, 1)
    encoding.writeVarUint(enc.restEncoder, clock)
    encoding.writeVarUint(enc.restEncoder, len)
  }
  return enc.toUint8Array()
}

function roomDoc(): Y.Doc {
  const doc = new Y.Doc()
  doc.clientID = 1
  for (const [name, kind] of ROOT_KINDS) kind === 'map' ? doc.getMap(name) : doc.getText(name)
  doc.getText('clauses').insert(0, 'abc') // 1:0..2
  doc.getMap('profile').set('assets', 5) // 1:3
  return doc
}

describe('inspectUpdate', () => {
  it('names the roots an ordinary update writes', () => {
    const doc = roomDoc()
    const client = new Y.Doc()
    Y.applyUpdate(client, Y.encodeStateAsUpdate(doc))
    const sv = Y.encodeStateVector(client)
    client.getText('clauses').insert(1, 'X')
    client.getMap('terms').set('termMonths', 12)
    client.getMap('profile').delete('assets')
    const r = inspectUpdate(doc, ROOT_KINDS, Y.encodeStateAsUpdate(client, sv))
    expect(r).toMatchObject({ kind: 'changes', roots: new Set(['clauses', 'terms', 'profile']), clients: new Set([client.clientID]) })
  })

  it('follows origins inside the same update to the root', () => {
    const doc = roomDoc()
    const u = forge([
      { client: 7, clock: 0, text: 'a', parent: 'clauses' },
    ])
    const chained = Y.mergeUpdates([u, forge([{ client: 8, clock: 0, text: 'b', origin: [7, 0] }])])
    expect(inspectUpdate(doc, ROOT_KINDS, chained)).toMatchObject({ kind: 'changes', roots: new Set(['clauses']) })
    // Anchored on a profile item: it writes the profile.
    expect(inspectUpdate(doc, ROOT_KINDS, forge([{ client: 9, clock: 0, text: 'z', origin: [1, 3] }]))).toMatchObject({
      kind: 'changes',
      roots: new Set(['profile']),
    })
  })

  it('refuses an item wedged between two roots', () => {
    const doc = roomDoc()
    const r = inspectUpdate(doc, ROOT_KINDS, forge([{ client: 9, clock: 0, text: 'z', origin: [1, 0], rightOrigin: [1, 3] }]))
    expect(r.kind).toBe('invalid')
  })

  it('refuses a reference to a later clock of the same client (Yjs would loop or throw mid-apply)', () => {
    const doc = roomDoc()
    const u = Y.mergeUpdates([
      forge([{ client: 9, clock: 0, text: 'a', origin: [9, 1] }]),
      forge([{ client: 9, clock: 1, text: 'b', parent: 'clauses' }]),
    ])
    expect(inspectUpdate(doc, ROOT_KINDS, u).kind).toBe('invalid')
  })

  it('reports missing dependencies: a clock gap, an unknown origin, a delete of unknown items', () => {
    const doc = roomDoc()
    expect(inspectUpdate(doc, ROOT_KINDS, forge([{ client: 9, clock: 5, text: 'a', parent: 'clauses' }])).kind).toBe('missing')
    expect(inspectUpdate(doc, ROOT_KINDS, forge([{ client: 9, clock: 0, text: 'a', origin: [42, 0] }])).kind).toBe('missing')
    expect(inspectUpdate(doc, ROOT_KINDS, forge([], [[1, 50, 2]])).kind).toBe('missing')
  })

  it('counts a delete of already deleted items as nothing, and of live ones as a write to their root', () => {
    const doc = roomDoc()
    doc.getText('clauses').delete(0, 1) // 1:0 deleted
    expect(inspectUpdate(doc, ROOT_KINDS, forge([], [[1, 0, 1]]))).toEqual({ kind: 'noop' })
    expect(inspectUpdate(doc, ROOT_KINDS, forge([], [[1, 3, 1]]))).toMatchObject({ kind: 'changes', roots: new Set(['profile']) })
  })

  it('refuses unknown roots, a map root used as text, and a text root used as a map', () => {
    const doc = roomDoc()
    expect(inspectUpdate(doc, ROOT_KINDS, forge([{ client: 9, clock: 0, text: 'a', parent: 'secret' }])).kind).toBe('invalid')
    expect(inspectUpdate(doc, ROOT_KINDS, forge([{ client: 9, clock: 0, text: 'a', parent: 'terms' }])).kind).toBe('invalid')
    expect(inspectUpdate(doc, ROOT_KINDS, forge([{ client: 9, clock: 0, text: 'a', parent: 'clauses', parentSub: 'k' }])).kind).toBe('invalid')
  })

  it('refuses garbage, and leaves the document untouched whatever the verdict', () => {
    const doc = roomDoc()
    const before = Y.encodeStateAsUpdate(doc)
    for (const bytes of [new Uint8Array([255, 255, 255]), new Uint8Array([1, 1, 9, 0, 200]), new Uint8Array([])]) {
      expect(['invalid', 'noop']).toContain(inspectUpdate(doc, ROOT_KINDS, bytes).kind)
    }
    inspectUpdate(doc, ROOT_KINDS, forge([{ client: 9, clock: 0, text: 'a', origin: [42, 0] }]))
    expect(Y.encodeStateAsUpdate(doc)).toEqual(before)
    expect(doc.store.pendingStructs).toBeNull()
  })
})
