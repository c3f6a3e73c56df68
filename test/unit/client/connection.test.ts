import { describe, expect, it, vi } from 'vitest'
import * as Y from 'yjs'
import { closeAction, retryAfterMs, shouldReconnect } from '../../../client/src/lib/closeCodes.ts'
import { connectionStatus } from '../../../client/src/lib/connectionStatus.ts'
import { DocConnection } from '../../../client/src/lib/docConnection.ts'
import { readRoomState, confirmedNow } from '../../../client/src/lib/roomState.ts'

describe('close codes', () => {
  it('starts over after a refused write, stops on a bad or oversized message, retries the rest', () => {
    expect(closeAction(4403, 'forbidden_write: profile')).toEqual({ kind: 'restart', reason: 'forbidden_write: profile' })
    expect(closeAction(1009, 'too big')).toMatchObject({ kind: 'stop', code: 1009 })
    expect(closeAction(4400, 'invalid_update: x')).toMatchObject({ kind: 'stop', code: 4400 })
    // An expired or revoked link: the same link can never reconnect.
    expect(closeAction(4401, 'token_expired: your invitation has expired; ask for a new link')).toMatchObject({ kind: 'stop', code: 4401 })
    expect(shouldReconnect(4401)).toBe(false)
    expect(closeAction(1006, '').kind).toBe('retry')
    expect(closeAction(1011, 'storage_failure').kind).toBe('retry')
    // Over a room quota: the local change can never apply, start over (and the notice says why).
    expect(closeAction(4413, 'quota_exceeded: this proposal is too long')).toEqual({ kind: 'restart', reason: 'quota_exceeded: this proposal is too long' })
    // A broken room reloads on the server: reconnect.
    expect(closeAction(4503, 'room_broken: reopening').kind).toBe('retry')
    expect(shouldReconnect(1009)).toBe(false)
    expect(closeAction(4429, 'rate_limited: x; retry in 4 s')).toEqual({ kind: 'wait', ms: 4000, reason: 'rate_limited: x; retry in 4 s' })
    expect(retryAfterMs('rate_limited')).toBe(5000)
    expect(retryAfterMs('retry in 9999 s')).toBe(60_000)
    expect(shouldReconnect(1001)).toBe(true)
  })
})

describe('connectionStatus', () => {
  it('is online only when both links are up, and says why otherwise', () => {
    const base = { doc: 'connected', chat: 'connected', browserOnline: true, stopped: false } as const
    expect(connectionStatus(base)).toBe('online')
    expect(connectionStatus({ ...base, chat: 'connecting' })).toBe('reconnecting')
    expect(connectionStatus({ ...base, doc: 'disconnected', browserOnline: false })).toBe('offline')
    expect(connectionStatus({ ...base, stopped: true })).toBe('stopped')
  })
})

/** A WebSocket stand-in the test can open and close with any code. */
class FakeSocket {
  static all: FakeSocket[] = []
  static OPEN = 1
  readonly OPEN = 1
  readyState = 0
  binaryType = 'arraybuffer'
  sent: Uint8Array[] = []
  onopen: (() => void) | null = null
  onclose: ((e: { code: number; reason: string }) => void) | null = null
  onmessage: ((e: { data: ArrayBuffer }) => void) | null = null
  onerror: (() => void) | null = null
  constructor(readonly url: string) {
    FakeSocket.all.push(this)
  }
  send(d: Uint8Array) {
    this.sent.push(d)
  }
  close() {
    this.readyState = 3
  }
  open() {
    this.readyState = 1
    this.onopen?.()
  }
  serverClose(code: number, reason: string) {
    this.readyState = 3
    this.onclose?.({ code, reason })
  }
}

describe('DocConnection', () => {
  it('after a 4429 rate_limited close waits the delay the server names, then reconnects with the same document', () => {
    vi.useFakeTimers()
    FakeSocket.all = []
    const waits: [number, string][] = []
    const conn = new DocConnection(
      { serverUrl: 'ws://x/yjs', roomId: 'r', token: 't', WebSocketPolyfill: FakeSocket as unknown as typeof WebSocket },
      { waiting: (ms, r) => waits.push([ms, r]) },
    )
    try {
      const doc = conn.doc
      FakeSocket.all[0]!.open()
      doc.getText('clauses').insert(0, 'typed while limited')
      FakeSocket.all[0]!.serverClose(4429, 'rate_limited: too many changes at once; retry in 3 s')
      expect(waits).toEqual([[3000, 'rate_limited: too many changes at once; retry in 3 s']])
      vi.advanceTimersByTime(2900)
      expect(FakeSocket.all).toHaveLength(1) // no hammering before the delay
      vi.advanceTimersByTime(1200)
      expect(FakeSocket.all).toHaveLength(2)
      expect(conn.doc).toBe(doc) // the refused change is still here and resyncs
      expect(doc.getText('clauses').toString()).toBe('typed while limited')
    } finally {
      conn.destroy()
      vi.useRealTimers()
    }
  })

  it('after a 4403 close starts over with a fresh document and keeps who we are', () => {
    FakeSocket.all = []
    const docs: Y.Doc[] = []
    const restarted: string[] = []
    const conn = new DocConnection(
      {
        serverUrl: 'ws://example.test/yjs',
        roomId: 'r1',
        token: 'tok',
        awareness: { user: { name: 'Li Na', role: 'lender' }, editing: null },
        WebSocketPolyfill: FakeSocket as unknown as typeof WebSocket,
      },
      { doc: (d) => docs.push(d), restarted: (r) => restarted.push(r) },
    )
    try {
      expect(FakeSocket.all[0]!.url).toBe('ws://example.test/yjs/r1?token=tok')
      FakeSocket.all[0]!.open()
      conn.doc.getMap('profile').set('monthlyIncome', 1)
      FakeSocket.all[0]!.serverClose(4403, 'forbidden_write: profile is written by the borrower')
      expect(restarted).toEqual(['forbidden_write: profile is written by the borrower'])
      expect(docs).toHaveLength(2)
      expect(docs[1]).not.toBe(docs[0])
      expect(conn.doc.getMap('profile').size).toBe(0)
      expect(FakeSocket.all).toHaveLength(2)
      expect(conn.provider.awareness.getLocalState()).toMatchObject({ user: { name: 'Li Na' } })
    } finally {
      conn.destroy()
    }
  })

  it('stops and reports an oversized-message close instead of resending it forever', () => {
    FakeSocket.all = []
    const stopped: [number, string][] = []
    const conn = new DocConnection(
      { serverUrl: 'ws://x/yjs', roomId: 'r', token: 't', WebSocketPolyfill: FakeSocket as unknown as typeof WebSocket },
      { stopped: (c, r) => stopped.push([c, r]) },
    )
    try {
      FakeSocket.all[0]!.open()
      FakeSocket.all[0]!.serverClose(1009, 'message_too_large')
      expect(stopped).toEqual([[1009, 'message_too_large']])
      expect(conn.provider.shouldConnect).toBe(false)
    } finally {
      conn.destroy()
    }
  })
})

describe('room state', () => {
  it('reads confirmations as the server sends them and counts only those for the current hash', () => {
    const st = readRoomState({
      phase: 'negotiating',
      currentHash: 'h2',
      confirmations: [
        { role: 'borrower', name: 'Zhang Wei', fullName: 'Zhang Wei', hash: 'h1', ts: 1 },
        { role: 'lender', name: 'Li Na', fullName: 'Li Na', hash: 'h2', ts: 2 },
      ],
      participants: [{ role: 'observer', name: 'Wang', label: 'mediator', online: true }],
    })
    expect(confirmedNow(st, 'borrower')).toBeNull()
    expect(confirmedNow(st, 'lender')).toMatchObject({ name: 'Li Na', hash: 'h2' })
    expect(st?.participants[0]).toMatchObject({ role: 'observer', online: true })
  })
})
