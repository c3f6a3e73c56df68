// The durability sessions every store must pass (SQLite in test/integration, PostgreSQL in test/postgres):
// what was acknowledged or broadcast before a restart or a kill -9 is there after it.
import { expect } from 'vitest'
import type { ChatMessage } from '../../shared/protocol/chat.ts'
import type { CreateRoomResponse } from '../../shared/protocol/http.ts'
import { readContent } from '../../shared/document/roomDoc.ts'
import { startChildServer, type ChildServer } from './childServer.ts'
import { connectProvider, connectSocket, connected, createRoomAt, emitAck, invite, waitFor, type TestServer } from './server.ts'
import type { Teardown } from './teardown.ts'

/**
 * Both parties edit (the borrower types `clause`), the lender sends one acknowledged chat line, everyone
 * leaves and the server restarts on its DATA_DIR (or database). Then a fresh observer reads the same content,
 * the line is in the history and its clientId is still known. Returns the restarted server.
 */
export async function sessionThroughRestart(server: TestServer, room: CreateRoomResponse, t: Teardown, clause: string): Promise<TestServer> {
  const b = t.track(connectProvider(server, room.roomId, invite(room, 'borrower')))
  const l = t.track(connectProvider(server, room.roomId, invite(room, 'lender')))
  await Promise.all([b.synced, l.synced])
  b.doc.getText('clauses').insert(0, clause)
  b.doc.getMap('profile').set('monthlyIncome', 750_000)
  l.doc.getMap('terms').set('termMonths', 60)
  await waitFor(() => l.doc.getText('clauses').length > 0 && b.doc.getMap('terms').get('termMonths') === 60, 'sync')
  const socket = t.track(connectSocket(server, invite(room, 'lender')).socket)
  await connected(socket)
  expect(await emitAck(socket, 'chat:send', { clientId: 'before-restart', text: 'see you after the restart' })).toMatchObject({ ok: true })
  const content = readContent(b.doc)
  b.destroy()
  l.destroy()
  socket.close()

  const restarted = await server.restart()
  const fresh = t.track(connectProvider(restarted, room.roomId, invite(room, 'observer')))
  await fresh.synced
  expect(readContent(fresh.doc)).toEqual(content)
  const c = t.track(connectSocket(restarted, invite(room, 'borrower')).socket)
  const history = await new Promise<unknown[]>((resolve) => c.once('chat:history', resolve))
  expect(history.filter((h) => (h as ChatMessage).kind === 'chat').map((h) => (h as ChatMessage).text)).toEqual(['see you after the restart'])
  // Idempotency survives too.
  expect(await emitAck(c, 'chat:send', { clientId: 'before-restart', text: 'x' })).toMatchObject({ ok: true, duplicate: true })
  return restarted
}

/**
 * A server process started with `env`: the borrower types 50 edits, the lender sends the acknowledged chat line
 * `acked`; the process is killed (-9) and started again with `env`. A fresh observer must read every edit the
 * lender saw broadcast. Returns the new process (killed at teardown) and the room, for the caller's own checks.
 */
export async function sessionThroughKill(env: Record<string, string>, t: Teardown): Promise<{ child: ChildServer; room: CreateRoomResponse; acked: string }> {
  let child = await startChildServer(env)
  t.add(() => child.kill())
  const room = await createRoomAt(child, child.operatorKey)
  const b = t.track(connectProvider(child, room.roomId, invite(room, 'borrower')))
  const l = t.track(connectProvider(child, room.roomId, invite(room, 'lender')))
  await Promise.all([b.synced, l.synced])
  const socket = t.track(connectSocket(child, invite(room, 'lender')).socket)
  await connected(socket)
  for (let i = 0; i < 50; i++) b.doc.getText('clauses').insert(b.doc.getText('clauses').length, `${i},`)
  const acked = 'acknowledged'
  expect(await emitAck(socket, 'chat:send', { clientId: 'k1', text: acked })).toMatchObject({ ok: true })
  // What the lender received went through the server: it must have been stored first.
  await waitFor(() => l.doc.getText('clauses').toString().endsWith('49,'), 'lender received all')
  const seen = l.doc.getText('clauses').toString()
  b.provider.disconnect()
  l.provider.disconnect()
  socket.close()
  await child.kill('SIGKILL')

  child = await startChildServer(env)
  const o = t.track(connectProvider(child, room.roomId, invite(room, 'observer')))
  await o.synced
  expect(o.doc.getText('clauses').toString()).toBe(seen)
  return { child, room, acked }
}
