import { describe, expect, it } from 'vitest'
import { connectionStatus } from './connectionStatus.ts'

describe('connectionStatus', () => {
  it('is online only when both links are up, and says why otherwise', () => {
    const base = { doc: 'connected', chat: 'connected', browserOnline: true, stopped: false } as const
    expect(connectionStatus(base)).toBe('online')
    expect(connectionStatus({ ...base, chat: 'connecting' })).toBe('reconnecting')
    expect(connectionStatus({ ...base, doc: 'disconnected', browserOnline: false })).toBe('offline')
    expect(connectionStatus({ ...base, stopped: true })).toBe('stopped')
  })
})
