// The chain both stores append with, driven without a database. The hashes are pinned: they were
// taken from the stores before the chain was shared, and archives verify old logs against them.
import { describe, expect, it } from 'vitest'
import { verifyChain } from '../../shared/protocol/eventLog.ts'
import { AppendRefusedError, toArchiveEvent, type NewEvent, type StoredEvent } from './Store.ts'
import { appendToChain, emptyHead, type ChainWriter, type Head } from './eventChain.ts'

const NOW = 1_700_000_000_000
const ana = { role: 'borrower', name: 'Ana Ortiz' } as const

/** A writer over an array: what a store would insert, and its chat index. */
function memoryWriter(): ChainWriter & { written: StoredEvent[] } {
  const chats = new Map<string, StoredEvent>()
  const written: StoredEvent[] = []
  return {
    written,
    storedChat: (clientId) => chats.get(clientId),
    write(event, source) {
      written.push(event)
      if (source.type === 'chat' && source.clientId !== undefined) chats.set(source.clientId, event)
    },
  }
}

const created: NewEvent = { actor: { role: 'system', name: 'system' }, type: 'create', payload: { title: 'T', n: 1.5, z: 'é' } }
const batch: NewEvent[] = [
  { actor: ana, type: 'update', payload: new Uint8Array([1, 2, 3, 250]) },
  { actor: ana, type: 'chat', payload: { text: 'hi "there"', b: [1, { y: 2, x: 1 }] }, clientId: 'c1' },
  { actor: ana, type: 'chat', payload: { text: 'again' }, clientId: 'c1' },
  { actor: { role: 'lender', name: 'Bo' }, type: 'confirm', payload: { hash: 'abc', fullName: 'Bo Li' } },
]

describe('appendToChain', () => {
  it('hashes every event exactly as the stores always have (archives verify old logs)', () => {
    const w = memoryWriter()
    const first = appendToChain('r1', emptyHead('negotiating'), [created], undefined, NOW, w)
    const second = appendToChain('r1', first.head, batch, undefined, NOW, w)
    expect(w.written.map((e) => [e.seq, e.hash])).toEqual([
      [1, '0ed025b61a3dbb357a795258e142921f0c9e2fd449c7dd43b6d59917f8ffa6a9'],
      [2, 'e19c29fa231f41223b5a16bf6e9f9387f9bd3f52651797f11d35e538cdd7efee'],
      [3, 'd6bfc8257987b72f1728552c5ff366111840ae2963c9439a16f568c460850730'],
      [4, '304663ff366a10c321c021db6fec53d8698d03701ede106082de102a1d8367b3'],
    ])
    expect(verifyChain(w.written.map(toArchiveEvent))).toEqual({ ok: true, lastHash: w.written[3]!.hash })
    // The repeated chat message answers the stored one and writes nothing.
    expect(second.results.map((r) => r.duplicate)).toEqual([false, false, true, false])
    expect(second.results[2]!.event).toBe(w.written[2])
    expect(second.head).toMatchObject({ seq: 4, hash: w.written[3]!.hash, ts: NOW, phase: 'negotiating' })
  })

  it('never lets ts go back, and sets the phase the append asks for', () => {
    const w = memoryWriter()
    const head: Head = { ...emptyHead('negotiating'), ts: NOW + 5 }
    const { results, head: after } = appendToChain('r1', head, [created], { phase: 'locked' }, NOW, w)
    expect(results[0]!.event.ts).toBe(NOW + 5)
    expect(after.phase).toBe('locked')
  })

  it('follows the last change through the append when the head carries it', () => {
    const w = memoryWriter()
    const { head } = appendToChain('r1', { ...emptyHead('negotiating'), lastChange: 0 }, batch, undefined, NOW, w)
    expect(head.lastChange).toBe(3)
    expect(appendToChain('r1', emptyHead('negotiating'), batch, undefined, NOW, memoryWriter()).head.lastChange).toBeUndefined()
  })

  it('refuses before writing anything', () => {
    const w = memoryWriter()
    const locked = emptyHead('locked')
    expect(() => appendToChain('r1', locked, batch, undefined, NOW, w)).toThrow(AppendRefusedError)
    expect(() => appendToChain('r1', emptyHead('negotiating'), batch, { ifLastSeq: 7 }, NOW, w)).toThrow(/has moved on/)
    expect(() => appendToChain('r1', { ...emptyHead('negotiating'), lastChange: 9 }, batch, { ifNoChangeAfter: 8 }, NOW, w)).toThrow(/changed after seq 8/)
    expect(w.written).toEqual([])
  })
})
