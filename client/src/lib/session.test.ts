import { describe, expect, it } from 'vitest'
import { takeRoomToken } from './session.ts'

describe('room token in the address', () => {
  it('moves #token to sessionStorage and strips it from the address bar', () => {
    const store = new Map<string, string>()
    ;(globalThis as { sessionStorage?: unknown }).sessionStorage = {
      getItem: (k: string) => store.get(k) ?? null,
      setItem: (k: string, v: string) => void store.set(k, v),
      removeItem: (k: string) => void store.delete(k),
    }
    let replaced = ''
    const loc = { hash: '#token=abc.def.ghi', pathname: '/room/r1', search: '' } as Location
    const hist = { state: null, replaceState: (_s: unknown, _t: string, url: string) => (replaced = url) } as unknown as History
    expect(takeRoomToken('r1', loc, hist)).toBe('abc.def.ghi')
    expect(replaced).toBe('/room/r1')
    expect(takeRoomToken('r1', { ...loc, hash: '' } as Location, hist)).toBe('abc.def.ghi')
    delete (globalThis as { sessionStorage?: unknown }).sessionStorage
  })
})
