import { describe, expect, it } from 'vitest'
import { parseRoute } from './route.ts'

describe('routes', () => {
  it('knows the lobby and room paths', () => {
    expect(parseRoute('/')).toEqual({ name: 'lobby' })
    expect(parseRoute('/lobby/')).toEqual({ name: 'lobby' })
    expect(parseRoute('/room/abc_123')).toEqual({ name: 'room', roomId: 'abc_123' })
    expect(parseRoute('/room/a/b')).toEqual({ name: 'notFound' })
  })
})

describe('the replay route', () => {
  it('is /replay/:id', () => {
    expect(parseRoute('/replay/abc_DEF-1')).toEqual({ name: 'replay', roomId: 'abc_DEF-1' })
    expect(parseRoute('/replay/abc/')).toEqual({ name: 'replay', roomId: 'abc' })
    expect(parseRoute('/replay/a.b')).toEqual({ name: 'notFound' })
  })
})
