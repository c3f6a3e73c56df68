import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { diffText, transformIndex, type DeltaOp } from './textDiff.ts'

function apply(before: string, edit: ReturnType<typeof diffText>): string {
  if (!edit) return before
  return before.slice(0, edit.index) + edit.insert + before.slice(edit.index + edit.deleteCount)
}

describe('diffText', () => {
  it('turns one text into the other with a single minimal replace', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        const edit = diffText(a, b)
        expect(apply(a, edit)).toBe(b)
        if (a === b) expect(edit).toBeNull()
      }),
    )
  })

  it('touches only what changed', () => {
    expect(diffText('hello world', 'hello brave world')).toEqual({ index: 6, deleteCount: 0, insert: 'brave ' })
    expect(diffText('abc', 'ac')).toEqual({ index: 1, deleteCount: 1, insert: '' })
  })

  it('never splits a surrogate pair', () => {
    const edit = diffText('a😀b', 'a😁b')!
    expect(apply('a😀b', edit)).toBe('a😁b')
    expect(edit.insert).toBe('😁')
  })
})

describe('transformIndex', () => {
  it('keeps the caret on the same character after a remote edit (checked against Yjs deltas)', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.nat(), fc.nat(), fc.nat(), fc.string(), (text, caretSeed, posSeed, delSeed, ins) => {
        const doc = new Y.Doc()
        const ytext = doc.getText('t')
        ytext.insert(0, text)
        const caret = caretSeed % (text.length + 1)
        const pos = posSeed % (text.length + 1)
        const del = delSeed % (text.length - pos + 1)
        let delta: DeltaOp[] = []
        ytext.observe((e) => {
          delta = e.delta as DeltaOp[]
        })
        doc.transact(() => {
          if (del) ytext.delete(pos, del)
          if (ins) ytext.insert(pos, ins)
        })
        const moved = transformIndex(caret, delta)
        const after = ytext.toString()
        expect(moved).toBeGreaterThanOrEqual(0)
        expect(moved).toBeLessThanOrEqual(after.length)
        // A caret before the edit stays; one after it keeps the same text on its right.
        if (caret <= pos && !(caret === pos && ins)) expect(moved).toBe(caret)
        if (caret >= pos + del) expect(after.slice(moved)).toBe(text.slice(caret))
      }),
    )
  })
})
