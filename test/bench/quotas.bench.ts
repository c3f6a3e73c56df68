// `npx tsx test/bench/quotas.bench.ts`: what the room quotas cost (issue #14 §1). A room near its clause
// limit (990 000 characters) is offered a 1 MiB clauses insert (the attack's unit) and a one-key edit:
// inspection + RoomQuotas.checkUpdate per update, and one re-measure of the encoded document.
import * as Y from 'yjs'
import { inspectUpdate } from '../../server/room/inspectUpdate.ts'
import { ROOT_KINDS } from '../../server/room/Room.ts'
import { DEFAULT_QUOTAS, RoomQuotas } from '../../server/room/RoomQuotas.ts'

const doc = new Y.Doc()
for (const [n, k] of ROOT_KINDS) k === 'map' ? doc.getMap(n) : doc.getText(n)
// A room near its clause limit: 990 000 characters in 1 000-character inserts.
for (let i = 0; i < 990; i++) doc.getText('clauses').insert(doc.getText('clauses').length, 'a'.repeat(1000))
const q = new RoomQuotas(DEFAULT_QUOTAS, doc)
const client = new Y.Doc()
Y.applyUpdate(client, Y.encodeStateAsUpdate(doc))
const sv = Y.encodeStateVector(client)
client.getText('clauses').insert(0, 'x'.repeat(1024 * 1024))
const big = Y.encodeStateAsUpdate(client, sv)
const rss0 = process.memoryUsage().rss
let t = performance.now()
const N = 20
for (let i = 0; i < N; i++) {
  const ins = inspectUpdate(doc, ROOT_KINDS, big)
  if (ins.kind !== 'changes') throw new Error(ins.kind)
  const r = q.checkUpdate(big, ins.growth)
  if (!r) throw new Error('accepted')
}
const refuse = (performance.now() - t) / N
// A one-key edit near the limit (the common path): inspection + check.
const c2 = new Y.Doc()
Y.applyUpdate(c2, Y.encodeStateAsUpdate(doc))
const sv2 = Y.encodeStateVector(c2)
c2.getMap('terms').set('termMonths', 36)
const small = Y.encodeStateAsUpdate(c2, sv2)
t = performance.now()
for (let i = 0; i < 1000; i++) {
  const ins = inspectUpdate(doc, ROOT_KINDS, small)
  if (ins.kind !== 'changes') throw new Error(ins.kind)
  if (q.checkUpdate(small, ins.growth)) throw new Error('refused')
}
const accept = (performance.now() - t) / 1000
t = performance.now()
const m = Y.encodeStateAsUpdate(doc).length
const measure = performance.now() - t
console.log(JSON.stringify({ docBytes: m, refuse1MiBInsertMs: +refuse.toFixed(2), smallEditCheckMs: +accept.toFixed(4), remeasureMs: +measure.toFixed(2), rssDeltaMiB: Math.round((process.memoryUsage().rss - rss0) / 2 ** 20) }))
