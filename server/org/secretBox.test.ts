import { describe, expect, it } from 'vitest'
import { open, seal, secretBoxKey } from './secretBox.ts'

const key = secretBoxKey('a server secret of at least thirty-two characters', 'oidc client secret')

describe('secretBox', () => {
  it('opens what it sealed, and each seal differs (a fresh IV)', () => {
    const a = seal(key, 'org_1', 'very secret value')
    const b = seal(key, 'org_1', 'very secret value')
    expect(a).not.toBe(b)
    expect(a).not.toContain('very secret')
    expect(open(key, 'org_1', a)).toBe('very secret value')
  })

  it('opens nothing under another key, purpose or context, tampered, truncated or malformed', () => {
    const sealed = seal(key, 'org_1', 'very secret value')
    expect(open(secretBoxKey('another secret of at least thirty-two characters', 'oidc client secret'), 'org_1', sealed)).toBeNull()
    expect(open(secretBoxKey('a server secret of at least thirty-two characters', 'something else'), 'org_1', sealed)).toBeNull()
    expect(open(key, 'org_2', sealed)).toBeNull()
    const [v, iv, ct, tag] = sealed.split('.') as [string, string, string, string]
    const flipped = `${ct[0] === 'A' ? 'B' : 'A'}${ct.slice(1)}`
    expect(open(key, 'org_1', [v, iv, flipped, tag].join('.'))).toBeNull()
    expect(open(key, 'org_1', [v, iv, ct, tag.slice(0, 8)].join('.'))).toBeNull()
    expect(open(key, 'org_1', [v, iv, ct].join('.'))).toBeNull()
    expect(open(key, 'org_1', `v2.${iv}.${ct}.${tag}`)).toBeNull()
    expect(open(key, 'org_1', 'not sealed at all')).toBeNull()
  })
})
