// Hostile Yjs websocket frames: random bytes, lying length prefixes, mutated updates, awareness floods.
import * as encoding from 'lib0/encoding'
import { Awareness, encodeAwarenessUpdate } from 'y-protocols/awareness'
import * as Y from 'yjs'
import { bytes, int, pick, rand } from './seededRandom.ts'

/** The server's maxPayload in the fuzz run; the 'oversized' case goes just beyond it. */
export const MAX_PAYLOAD = 256 * 1024

export const frame = (write: (e: encoding.Encoder) => void): Uint8Array => {
  const e = encoding.createEncoder()
  write(e)
  return encoding.toUint8Array(e)
}

export type YjsCase = { kind: string; data: Uint8Array | string }

export function realUpdate(): Uint8Array {
  const d = new Y.Doc()
  d.getText('clauses').insert(0, `fuzz ${int(1e6)}`)
  const u = Y.encodeStateAsUpdate(d)
  d.destroy()
  return u
}

export function awarenessFlood(): Uint8Array {
  const d = new Y.Doc()
  const a = new Awareness(d)
  const ids: number[] = []
  const n = 1 + int(200)
  for (let i = 0; i < n; i++) {
    const id = 1 + int(2 ** 31)
    ;(a as unknown as { states: Map<number, unknown>; meta: Map<number, { clock: number; lastUpdated: number }> }).states.set(id, { user: { name: 'x'.repeat(int(500)) }, cursor: int(1e6) })
    ;(a as unknown as { meta: Map<number, { clock: number; lastUpdated: number }> }).meta.set(id, { clock: int(100), lastUpdated: Date.now() })
    ids.push(id)
  }
  const u = encodeAwarenessUpdate(a, ids)
  a.destroy()
  d.destroy()
  return frame((e) => {
    encoding.writeVarUint(e, 1)
    encoding.writeVarUint8Array(e, u)
  })
}

export function yjsCase(): YjsCase {
  switch (int(11)) {
    case 0:
      return { kind: 'random bytes', data: bytes(int(300)) }
    case 1:
      return { kind: 'truncated varint', data: Uint8Array.from({ length: 1 + int(12) }, () => 0x80 | int(128)) }
    case 2: {
      const big = pick([2 ** 31, 2 ** 32 + 5, 2 ** 53 - 1, MAX_PAYLOAD * 4, 1e9])
      return {
        kind: 'huge length prefix',
        data: frame((e) => {
          encoding.writeVarUint(e, pick([0, 1]))
          if (rand() < 0.5) encoding.writeVarUint(e, pick([0, 1, 2]))
          encoding.writeVarUint(e, big)
          encoding.writeUint8Array(e, bytes(int(64)))
        }),
      }
    }
    case 3:
      return {
        kind: 'framed garbage update',
        data: frame((e) => {
          encoding.writeVarUint(e, 0)
          encoding.writeVarUint(e, pick([1, 2]))
          encoding.writeVarUint8Array(e, bytes(int(400)))
        }),
      }
    case 4: {
      const u = realUpdate()
      const m = u.slice(0, Math.max(1, int(u.length + 1)))
      for (let i = 0; i < 1 + int(4); i++) m[int(m.length)] = int(256)
      return {
        kind: 'mutated real update',
        data: frame((e) => {
          encoding.writeVarUint(e, 0)
          encoding.writeVarUint(e, 2)
          encoding.writeVarUint8Array(e, m)
        }),
      }
    }
    case 5:
      return {
        kind: 'garbage state vector',
        data: frame((e) => {
          encoding.writeVarUint(e, 0)
          encoding.writeVarUint(e, 0)
          encoding.writeVarUint8Array(e, bytes(int(40)))
        }),
      }
    case 6:
      return { kind: 'awareness flood', data: awarenessFlood() }
    case 7:
      return {
        kind: 'garbage awareness',
        data: frame((e) => {
          encoding.writeVarUint(e, 1)
          encoding.writeVarUint8Array(e, bytes(int(200)))
        }),
      }
    case 8:
      return { kind: 'unknown type', data: frame((e) => encoding.writeVarUint(e, 4 + int(1000))) }
    case 9:
      return { kind: 'text frame', data: 'x'.repeat(int(100)) }
    default:
      return rand() < 0.1 ? { kind: 'oversized', data: new Uint8Array(MAX_PAYLOAD + 1 + int(1000)) } : { kind: 'sync step 3+', data: Uint8Array.of(0, 3 + int(50), 0) }
  }
}
