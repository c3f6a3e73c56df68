import { describe, expect, it, vi } from 'vitest'
import * as Y from 'yjs'
import { DocConnection, type DocConnectionListener, type DocConnectionOptions } from './docConnection.ts'
import { FakeWebSocket } from '../../../test/support/client/fakeWebSocket.ts'

/** A connection over FakeWebSocket (FakeWebSocket.all[0] is its first socket). */
function connect(listener: DocConnectionListener, over: Partial<DocConnectionOptions> = {}): DocConnection {
  FakeWebSocket.all = []
  const opts = { serverUrl: 'ws://x/yjs', roomId: 'r', token: 't', WebSocketPolyfill: FakeWebSocket as unknown as typeof WebSocket, ...over }
  return new DocConnection(opts, listener)
}

describe('DocConnection', () => {
  it('after a 4429 rate_limited close waits the delay the server names, then reconnects with the same document', () => {
    vi.useFakeTimers()
    const waits: [number, string][] = []
    const conn = connect({ waiting: (ms, r) => waits.push([ms, r]) })
    try {
      const doc = conn.doc
      FakeWebSocket.all[0]!.open()
      doc.getText('clauses').insert(0, 'typed while limited')
      FakeWebSocket.all[0]!.serverClose(4429, 'rate_limited: too many changes at once; retry in 3 s')
      expect(waits).toEqual([[3000, 'rate_limited: too many changes at once; retry in 3 s']])
      vi.advanceTimersByTime(2900)
      expect(FakeWebSocket.all).toHaveLength(1) // no hammering before the delay
      vi.advanceTimersByTime(1200)
      expect(FakeWebSocket.all).toHaveLength(2)
      expect(conn.doc).toBe(doc) // the refused change is still here and resyncs
      expect(doc.getText('clauses').toString()).toBe('typed while limited')
    } finally {
      conn.destroy()
      vi.useRealTimers()
    }
  })

  it('after a 4403 close starts over with a fresh document and keeps who we are', () => {
    const docs: Y.Doc[] = []
    const restarted: string[] = []
    const conn = connect(
      { doc: (d) => docs.push(d), restarted: (r) => restarted.push(r) },
      { serverUrl: 'ws://example.test/yjs', roomId: 'r1', token: 'tok', awareness: { user: { name: 'Li Na', role: 'lender' }, editing: null } },
    )
    try {
      expect(FakeWebSocket.all[0]!.url).toBe('ws://example.test/yjs/r1?token=tok')
      FakeWebSocket.all[0]!.open()
      conn.doc.getMap('profile').set('monthlyIncome', 1)
      FakeWebSocket.all[0]!.serverClose(4403, 'forbidden_write: profile is written by the borrower')
      expect(restarted).toEqual(['forbidden_write: profile is written by the borrower'])
      expect(docs).toHaveLength(2)
      expect(docs[1]).not.toBe(docs[0])
      expect(conn.doc.getMap('profile').size).toBe(0)
      expect(FakeWebSocket.all).toHaveLength(2)
      expect(conn.provider.awareness.getLocalState()).toMatchObject({ user: { name: 'Li Na' } })
    } finally {
      conn.destroy()
    }
  })

  it('stops and reports an oversized-message close instead of resending it forever', () => {
    const stopped: [number, string][] = []
    const conn = connect({ stopped: (c, r) => stopped.push([c, r]) })
    try {
      FakeWebSocket.all[0]!.open()
      FakeWebSocket.all[0]!.serverClose(1009, 'message_too_large')
      expect(stopped).toEqual([[1009, 'message_too_large']])
      expect(conn.provider.shouldConnect).toBe(false)
    } finally {
      conn.destroy()
    }
  })
})
