// `npx tsx test/bench/quotaAttack.bench.ts`: the issue #14 §1 attack against the default quotas, in-process.
// A borrower's stock y-websocket client appends 900 000-character `clauses` inserts (just under the 1 MiB
// frame limit); prints the close it gets, how long until then, what the room kept, how fast another room's
// edit reaches its peer afterwards, and the process's RSS growth.
import { connectProvider, invite, startTestServer, waitFor } from '../helpers/server.ts'

const server = await startTestServer()
const room = await server.createRoom()
const other = await server.createRoom()
const rss0 = process.memoryUsage().rss
const p = connectProvider(server, room.roomId, invite(room, 'borrower'))
await p.synced
const t0 = performance.now()
const text = p.doc.getText('clauses')
for (let i = 0; i < 4; i++) text.insert(text.length, String(i).repeat(900_000))
await waitFor(() => p.closes.length > 0, 'closed', 60_000)
const t1 = performance.now()
p.destroy()
const r = server.registry.loaded(room.roomId)!
await r.whenIdle()
const ob = connectProvider(server, other.roomId, invite(other, 'borrower'))
const ol = connectProvider(server, other.roomId, invite(other, 'lender'))
await Promise.all([ob.synced, ol.synced])
const t2 = performance.now()
ob.doc.getMap('terms').set('termMonths', 36)
await waitFor(() => ol.doc.getMap('terms').get('termMonths') === 36, 'delivered')
console.log(
  JSON.stringify({
    close: p.closes[0],
    msToRefusal: Math.round(t1 - t0),
    roomClauses: r.doc.getText('clauses').length,
    otherRoomEditMs: Math.round(performance.now() - t2),
    rssDeltaMiB: Math.round((process.memoryUsage().rss - rss0) / 2 ** 20),
  }),
)
ob.destroy()
ol.destroy()
await server.close()
process.exit(0)
