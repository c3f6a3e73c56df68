import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { forgetRoomToken, getOperatorKey, reloadOnNewToken, setOperatorKey, takeRoomToken } from './session.ts'

let store: Map<string, string>
let replaced: string[]
const hist = { state: null, replaceState: (_s: unknown, _t: string, url: string) => void replaced.push(url) } as unknown as History
const at = (pathname: string, hash = '', search = ''): Location => ({ hash, pathname, search }) as Location

beforeEach(() => {
  store = new Map()
  replaced = []
  ;(globalThis as { sessionStorage?: unknown }).sessionStorage = {
    getItem: (k: string) => store.get(k) ?? null,
    setItem: (k: string, v: string) => void store.set(k, v),
    removeItem: (k: string) => void store.delete(k),
  }
})

afterEach(() => {
  delete (globalThis as { sessionStorage?: unknown }).sessionStorage
})

describe('room token in the address', () => {
  it('moves #token to sessionStorage and strips it from the address bar', () => {
    expect(takeRoomToken('r1', at('/room/r1', '#token=abc.def.ghi'), hist)).toBe('abc.def.ghi')
    expect(replaced).toEqual(['/room/r1'])
    expect(takeRoomToken('r1', at('/room/r1'), hist)).toBe('abc.def.ghi')
  })

  it('survives a reload: the address without a token opens with the kept one, and the address is left alone', () => {
    takeRoomToken('r1', at('/room/r1', '#token=t.one.x'), hist)
    replaced = []
    expect(takeRoomToken('r1', at('/room/r1'), hist)).toBe('t.one.x')
    expect(replaced).toEqual([])
  })

  it('keeps one token per room', () => {
    takeRoomToken('r1', at('/room/r1', '#token=a.a.a'), hist)
    takeRoomToken('r2', at('/room/r2', '#token=b.b.b'), hist)
    expect(takeRoomToken('r1', at('/room/r1'), hist)).toBe('a.a.a')
    expect(takeRoomToken('r2', at('/room/r2'), hist)).toBe('b.b.b')
    expect(takeRoomToken('r3', at('/room/r3'), hist)).toBeNull()
  })

  it('lets a copied resume link (or a re-issued invite) replace the kept token', () => {
    takeRoomToken('r1', at('/room/r1', '#token=old.old.old'), hist)
    expect(takeRoomToken('r1', at('/room/r1', '#token=new.new.new'), hist)).toBe('new.new.new')
    expect(takeRoomToken('r1', at('/room/r1'), hist)).toBe('new.new.new')
  })

  it('keeps the rest of the address (query and other fragment parts)', () => {
    takeRoomToken('r1', at('/room/r1', '#token=a.b.c&view=chat', '?lang=zh'), hist)
    expect(replaced).toEqual(['/room/r1?lang=zh#view=chat'])
  })

  it('forgets a room token on request', () => {
    takeRoomToken('r1', at('/room/r1', '#token=a.b.c'), hist)
    forgetRoomToken('r1')
    expect(takeRoomToken('r1', at('/room/r1'), hist)).toBeNull()
  })

  it('still opens from the link when the browser keeps no sessionStorage', () => {
    delete (globalThis as { sessionStorage?: unknown }).sessionStorage
    expect(takeRoomToken('r1', at('/room/r1', '#token=a.b.c'), hist)).toBe('a.b.c')
    expect(replaced).toEqual(['/room/r1'])
  })
})

describe('a link pasted into the tab already on its page', () => {
  it('reloads when the fragment brings a token, and only then', () => {
    let listener: (() => void) | undefined
    let reloads = 0
    const win = {
      location: { hash: '', reload: () => void reloads++ } as unknown as Location,
      addEventListener: (_type: string, l: () => void) => void (listener = l),
      removeEventListener: () => void (listener = undefined),
    } as unknown as Window
    const stop = reloadOnNewToken(win)
    ;(win.location as { hash: string }).hash = '#view=chat'
    listener!()
    expect(reloads).toBe(0)
    ;(win.location as { hash: string }).hash = '#token=new.new.new'
    listener!()
    expect(reloads).toBe(1)
    stop()
    expect(listener).toBeUndefined()
  })
})

describe('operator key', () => {
  it('is kept for the tab and cleared with an empty key', () => {
    expect(getOperatorKey()).toBe('')
    setOperatorKey('k-123')
    expect(getOperatorKey()).toBe('k-123')
    setOperatorKey('')
    expect(getOperatorKey()).toBe('')
  })
})
