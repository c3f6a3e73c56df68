import { Writable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { createLogger } from './log.ts'
import { processFaultHandlers } from './processFaults.ts'
import type { Room } from './room/Room.ts'
import { RoomFault } from './room/RoomFault.ts'
import type { RoomRegistry } from './room/RoomRegistry.ts'

function fakeServer() {
  const lines: Record<string, unknown>[] = []
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(l) as Record<string, unknown>)
      done()
    },
  })
  const broken: unknown[] = []
  const room = { breakDown: (err: unknown) => broken.push(err) } as unknown as Room
  const registry = { loaded: (id: string) => (id === 'room-1' ? room : undefined) } as unknown as RoomRegistry
  let closed = 0
  const server = { log: createLogger('info', sink), registry, close: async () => void closed++ }
  return { server, lines, broken, closed: () => closed }
}

describe('process-level fault handlers', () => {
  it('log an unhandled rejection with its room id and break only that room; the process goes on', () => {
    const f = fakeServer()
    const exits: number[] = []
    const h = processFaultHandlers(f.server, (c) => exits.push(c))
    const fault = new RoomFault('room-1', 'state timer', new RangeError('Invalid string length'))
    h.unhandledRejection(fault)
    h.unhandledRejection(new Error('no room'))
    expect(f.lines.map((l) => [l.msg, l.roomId])).toEqual([
      ['unhandled promise rejection', 'room-1'],
      ['unhandled promise rejection', undefined],
    ])
    expect(f.broken).toEqual([fault])
    expect(exits).toEqual([])
  })

  it('log an uncaught exception with its room id, close the server and exit 1', async () => {
    const f = fakeServer()
    const exits: number[] = []
    const h = processFaultHandlers(f.server, (c) => exits.push(c))
    h.uncaughtException(new RoomFault('room-1', 'yjs update', new Error('boom')), 'uncaughtException')
    await new Promise((r) => setTimeout(r, 10))
    expect(f.lines[0]).toMatchObject({ msg: 'uncaught exception; the process exits', roomId: 'room-1', level: 60 })
    expect(f.closed()).toBe(1)
    expect(exits).toEqual([1])
  })
})
