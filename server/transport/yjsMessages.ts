// Every y-websocket frame the server writes or reads, in one place: the wire format is
// [messageType, (syncStep,) varUint8Array payload] on lib0 encoding (y-protocols/sync, /awareness).
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { encodeAwarenessUpdate, type Awareness } from 'y-protocols/awareness'
import * as Y from 'yjs'
import { MESSAGE } from '../../shared/protocol/yjs.ts'

/** The steps of a y-protocols sync message. */
export const SYNC = { step1: 0, step2: 1, update: 2 } as const

/** A decoded inbound frame; anything undecodable throws (the receiver refuses it). */
export type YjsFrame =
  | { kind: 'syncStep1'; stateVector: Uint8Array }
  /** A document update: the client's sync step 2 (`isStep2`) or a later incremental one. */
  | { kind: 'update'; update: Uint8Array; isStep2: boolean }
  | { kind: 'awareness'; update: Uint8Array }
  | { kind: 'queryAwareness' }

function frame(type: number, write: (e: encoding.Encoder) => void): Uint8Array {
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, type)
  write(e)
  return encoding.toUint8Array(e)
}

function syncFrame(step: number, payload: Uint8Array): Uint8Array {
  return frame(MESSAGE.sync, (e) => {
    encoding.writeVarUint(e, step)
    encoding.writeVarUint8Array(e, payload)
  })
}

/** Our opening: the room's state vector, so the client answers with what we lack. */
export function syncStep1(doc: Y.Doc): Uint8Array {
  return syncFrame(SYNC.step1, Y.encodeStateVector(doc))
}

/** The answer to a client's step 1: what it lacks of the room's document. */
export function syncStep2(diff: Uint8Array): Uint8Array {
  return syncFrame(SYNC.step2, diff)
}

/** A committed update relayed to the other connections. */
export function syncUpdate(update: Uint8Array): Uint8Array {
  return syncFrame(SYNC.update, update)
}

export function awarenessMessage(awareness: Awareness, clients: number[]): Uint8Array {
  return frame(MESSAGE.awareness, (e) => encoding.writeVarUint8Array(e, encodeAwarenessUpdate(awareness, clients)))
}

/** An awareness update about no one: keeps the y-websocket client's 30 s timeout from firing. */
export const KEEPALIVE = frame(MESSAGE.awareness, (e) => encoding.writeVarUint8Array(e, new Uint8Array([0])))

function readPayload(decoder: decoding.Decoder): Uint8Array {
  const bytes = decoding.readVarUint8Array(decoder)
  // lib0 clamps a too-long length silently; a truncated frame must not pass as a short one.
  if (decoder.pos > decoder.arr.length) throw new Error('truncated message')
  if (decoding.hasContent(decoder)) throw new Error('trailing bytes after the message')
  return bytes
}

/** Decodes one inbound frame; throws with the reason the close frame gives. */
export function decodeFrame(buf: Uint8Array): YjsFrame {
  const decoder = decoding.createDecoder(buf)
  const type = decoding.readVarUint(decoder)
  switch (type) {
    case MESSAGE.sync: {
      const step = decoding.readVarUint(decoder)
      const payload = readPayload(decoder)
      if (step === SYNC.step1) return { kind: 'syncStep1', stateVector: payload }
      if (step === SYNC.step2 || step === SYNC.update) return { kind: 'update', update: payload, isStep2: step === SYNC.step2 }
      throw new Error(`unknown sync message ${step}`)
    }
    case MESSAGE.awareness:
      return { kind: 'awareness', update: readPayload(decoder) }
    case MESSAGE.queryAwareness:
      return { kind: 'queryAwareness' }
    default:
      throw new Error(`unknown message type ${type}`)
  }
}

/** Whether a frame carries a document update (metered as one); a cheap peek, never throws. */
export function isUpdateFrame(buf: Uint8Array): boolean {
  try {
    const d = decoding.createDecoder(buf)
    if (decoding.readVarUint(d) !== MESSAGE.sync) return false
    const step = decoding.readVarUint(d)
    return step === SYNC.step2 || step === SYNC.update
  } catch {
    return false // undecodable: the receiver refuses it once it passes
  }
}
