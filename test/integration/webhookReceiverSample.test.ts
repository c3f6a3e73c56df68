// The README's sample receiver (docs/webhook-receiver.ts) against the real server: it takes a signed
// delivery, prints the event, drops a redelivery of the same id, and refuses a stale or forged one.
import { spawn, type ChildProcess } from 'node:child_process'
import path from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { webhookKey, webhookSignature } from '../../server/webhooks/sign.ts'
import { startTestServer, waitFor } from '../helpers/server.ts'
import { closeAfterEach } from '../helpers/teardown.ts'
import { TEST_WEBHOOK_SECRET } from '../helpers/webhookReceiver.ts'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

function startSample(): Promise<{ child: ChildProcess; url: string; lines: string[] }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'docs/webhook-receiver.ts'], {
    cwd: ROOT,
    env: { ...process.env, WEBHOOK_SECRET: TEST_WEBHOOK_SECRET, PORT: '0' },
    stdio: ['ignore', 'pipe', 'ignore'],
  })
  const lines: string[] = []
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`sample receiver exited with ${code}`)))
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const m = /listening on (http:\S+)/.exec(line)
      if (m) resolve({ child, url: m[1]!, lines })
      else lines.push(line)
    })
  })
}

describe('the sample webhook receiver (docs/webhook-receiver.ts)', () => {
  const t = closeAfterEach()

  it('receives the server’s signed events and refuses old timestamps and bad signatures', async () => {
    const sample = await startSample()
    t.add(() => sample.child.kill())
    const server = t.track(await startTestServer({ webhookUrl: sample.url, webhookSecret: TEST_WEBHOOK_SECRET, webhookPollMs: 50 }))
    const room = await server.createRoom()
    await waitFor(() => sample.lines.length === 1, 'the sample printed the event', 10_000)
    expect(JSON.parse(sample.lines[0]!)).toEqual({
      id: `msg_${room.roomId}_1`,
      type: 'room.created',
      timestamp: expect.any(String),
      roomId: room.roomId,
      seq: 1,
      phase: 'negotiating',
    })
    const post = (id: string, ts: number, body: string, secret = TEST_WEBHOOK_SECRET): Promise<Response> =>
      fetch(sample.url, {
        method: 'POST',
        headers: { 'webhook-id': id, 'webhook-timestamp': String(ts), 'webhook-signature': webhookSignature(webhookKey(secret), id, ts, body) },
        body,
      })
    const body = JSON.stringify({ type: 'room.rated', timestamp: new Date().toISOString(), data: { roomId: 'r', seq: 9, phase: 'locked' } })
    const now = Math.floor(Date.now() / 1000)
    expect((await post('msg_r_9', now - 6 * 60, body)).status).toBe(401)
    expect((await post('msg_r_9', now, body, `whsec_${Buffer.alloc(32, 1).toString('base64')}`)).status).toBe(401)
    expect((await post('msg_r_9', now, body)).status).toBe(204)
    // The same id again (a retry): acknowledged, not handled twice.
    expect((await post('msg_r_9', now, body)).status).toBe(200)
    expect(sample.lines).toHaveLength(2)
  })
})
