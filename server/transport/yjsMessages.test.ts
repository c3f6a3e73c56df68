import * as encoding from 'lib0/encoding'
import { describe, expect, it } from 'vitest'
import { Awareness } from 'y-protocols/awareness'
import * as Y from 'yjs'
import { MESSAGE } from '../../shared/protocol/yjs.ts'
import { awarenessMessage, decodeFrame, isUpdateFrame, KEEPALIVE, SYNC, syncStep1, syncStep2, syncUpdate } from './yjsMessages.ts'

function raw(...parts: (number | Uint8Array)[]): Uint8Array {
  const e = encoding.createEncoder()
  for (const p of parts) typeof p === 'number' ? encoding.writeVarUint(e, p) : encoding.writeVarUint8Array(e, p)
  return encoding.toUint8Array(e)
}

describe('yjsMessages', () => {
  it('decodes what it encodes', () => {
    const doc = new Y.Doc()
    doc.getMap('m').set('k', 'v')
    expect(decodeFrame(syncStep1(doc))).toEqual({ kind: 'syncStep1', stateVector: Y.encodeStateVector(doc) })
    const update = Y.encodeStateAsUpdate(doc)
    expect(decodeFrame(syncStep2(update))).toEqual({ kind: 'update', update, isStep2: true })
    expect(decodeFrame(syncUpdate(update))).toEqual({ kind: 'update', update, isStep2: false })
    const awareness = new Awareness(doc)
    awareness.setLocalState({ editing: 'x' })
    const msg = awarenessMessage(awareness, [doc.clientID])
    expect(decodeFrame(msg).kind).toBe('awareness')
    expect(decodeFrame(KEEPALIVE)).toEqual({ kind: 'awareness', update: new Uint8Array([0]) })
    expect(decodeFrame(raw(MESSAGE.queryAwareness))).toEqual({ kind: 'queryAwareness' })
    awareness.destroy()
  })

  it('refuses truncated, trailing and unknown frames with the reason the close frame gives', () => {
    const truncated = raw(MESSAGE.sync, SYNC.update, new Uint8Array([1, 2, 3])).subarray(0, 4)
    expect(() => decodeFrame(truncated)).toThrow() // lib0 or our own check, by version
    expect(() => decodeFrame(new Uint8Array([...syncUpdate(new Uint8Array([0, 0])), 7]))).toThrow('trailing bytes after the message')
    expect(() => decodeFrame(raw(MESSAGE.sync, 3, new Uint8Array()))).toThrow('unknown sync message 3')
    expect(() => decodeFrame(raw(9))).toThrow('unknown message type 9')
  })

  it('tells updates from other frames for metering, never throwing', () => {
    expect(isUpdateFrame(syncUpdate(new Uint8Array([0, 0])))).toBe(true)
    expect(isUpdateFrame(syncStep2(new Uint8Array([0, 0])))).toBe(true)
    expect(isUpdateFrame(syncStep1(new Y.Doc()))).toBe(false)
    expect(isUpdateFrame(KEEPALIVE)).toBe(false)
    expect(isUpdateFrame(new Uint8Array([0x80]))).toBe(false)
  })
})
