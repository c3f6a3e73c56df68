// What one server process accepts from another over Redis: exactly the messages of the cluster protocol.
import { describe, expect, it } from 'vitest'
import { validateClusterMessage } from './cluster.schema.ts'

const H = 'a'.repeat(64)
const event = { seq: 7, ts: 1, actor: { role: 'borrower', name: 'Bo' }, type: 'update', payload: 'AAE=', prevHash: H, hash: H }

describe('cluster message schema', () => {
  it('accepts the four kinds of message', () => {
    for (const m of [
      { kind: 'events', node: 'n1', roomId: 'r_1', events: [event, { ...event, seq: 8, type: 'chat', payload: { text: 'hi' } }] },
      { kind: 'awareness', node: 'n1', roomId: 'r_1', update: 'AQID' },
      { kind: 'presence', node: 'n1', roomId: 'r_1', online: [{ role: 'observer', name: 'M', label: 'mediator' }], ask: true },
      { kind: 'heartbeat', node: 'n1' },
    ]) {
      expect(validateClusterMessage(m)).toMatchObject({ ok: true })
    }
  })

  it('refuses anything else', () => {
    for (const m of [
      { kind: 'events', node: 'n1', roomId: 'r_1', events: [] },
      { kind: 'events', node: 'n1', roomId: 'r_1', events: [{ ...event, seq: 0 }] },
      { kind: 'events', node: 'n1', roomId: 'r_1', events: [{ ...event, payload: { not: 'bytes' } }] },
      { kind: 'events', node: 'n1', roomId: '../x', events: [event] },
      { kind: 'awareness', node: 'n1', roomId: 'r_1', update: 'not base64!' },
      { kind: 'presence', node: 'n1', roomId: 'r_1', online: [{ role: 'system', name: 'x' }], ask: false },
      { kind: 'heartbeat', node: 'n1', extra: 1 },
      { kind: 'shutdown', node: 'n1' },
      'heartbeat',
    ]) {
      expect(validateClusterMessage(m).ok).toBe(false)
    }
  })
})
