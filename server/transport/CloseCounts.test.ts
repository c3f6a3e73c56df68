import { describe, expect, it } from 'vitest'
import { pino } from 'pino'
import { CloseCounts, reasonKey } from './CloseCounts.ts'

describe('CloseCounts', () => {
  it('keys a close by the reason text before its colon', () => {
    expect(reasonKey('slow_consumer: too much unsent data')).toBe('slow_consumer')
    expect(reasonKey('rate_limited: retry in 3 s')).toBe('rate_limited')
    expect(reasonKey('ping timeout')).toBe('ping_timeout')
    expect(reasonKey('<script>: x')).toBe('other')
  })

  it('counts per transport and reason, and logs each with its reason', () => {
    const lines: string[] = []
    const log = pino({ level: 'info' }, { write: (s: string) => void lines.push(s) })
    const closes = new CloseCounts(log)
    closes.note('yjs', 'slow_consumer: too much unsent data', { roomId: 'r1' })
    closes.note('yjs', 'slow_consumer: too much unsent data')
    closes.note('socketio', 'ping timeout')
    expect(closes.snapshot()).toEqual({ 'socketio.ping_timeout': 1, 'yjs.slow_consumer': 2 })
    expect(lines).toHaveLength(3)
    expect(JSON.parse(lines[0]!)).toMatchObject({ msg: 'server closed a connection', transport: 'yjs', reason: 'slow_consumer', roomId: 'r1' })
  })
})
