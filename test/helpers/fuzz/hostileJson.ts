// Hostile JSON payloads for socket.io events and HTTP bodies, each derived from the valid shape.
import fc from 'fast-check'
import { int, pick, rand, SEED } from './seededRandom.ts'

const anything = fc.sample(fc.anything({ maxDepth: 4, withNullPrototype: true, withBigInt: false, withDate: false, withMap: false, withSet: false, withTypedArray: false, withSparseArray: true }), { seed: SEED, numRuns: 500 })

function deep(depth: number): unknown {
  let v: unknown = 'bottom'
  for (let i = 0; i < depth; i++) v = rand() < 0.5 ? [v] : { a: v }
  return v
}

/** A hostile value for a payload whose valid shape is `valid`. */
export function hostile(valid: Record<string, unknown>): { kind: string; value: unknown } {
  const keys = Object.keys(valid)
  switch (int(9)) {
    case 0:
      return { kind: 'anything', value: pick(anything) }
    case 1: {
      const v: Record<string, unknown> = { ...valid }
      v[pick(keys)] = pick<unknown>([42, -1, 1.5, null, true, [], {}, ['x'], 'x', '', NaN, { toString: 'x' }])
      return { kind: 'wrong type', value: v }
    }
    case 2: {
      const v: Record<string, unknown> = { ...valid }
      delete v[pick(keys)]
      return { kind: 'missing field', value: v }
    }
    case 3: {
      const v: Record<string, unknown> = { ...valid }
      v[pick(keys)] = 'A'.repeat(1000 + int(50_000))
      return { kind: 'giant string', value: v }
    }
    case 4:
      return { kind: '__proto__ key', value: JSON.parse(`{"__proto__":{"polluted":"yes","isAdmin":true}${keys.length ? ',' : ''}${JSON.stringify(valid).slice(1)}`) }
    case 5:
      return { kind: 'constructor key', value: { ...valid, constructor: { prototype: { polluted: 'yes' } } } }
    case 6:
      return { kind: 'deep nesting', value: { ...valid, [pick(keys)]: deep(200 + int(2000)) } }
    case 7:
      return { kind: 'extra field', value: { ...valid, [`x${int(100)}`]: int(10) } }
    default:
      return { kind: 'non-object', value: pick([null, 0, 'text', [], [valid], true]) }
  }
}
