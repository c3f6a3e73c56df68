// `cli webhooks …`: a usable secret, and list/redeliver against a real server's operator API.
import { afterAll, describe, expect, it } from 'vitest'
import { webhookKey } from '../server/webhooks/sign.ts'
import { startTestServer } from '../test/helpers/server.ts'
import type { CliIo } from './command.ts'
import { main } from './main.ts'

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = ''
  let err = ''
  const io: CliIo = { readStdin: async () => '', stdout: (t) => void (out += t), stderr: (t) => void (err += t) }
  const code = await main(['webhooks', ...argv], io)
  return { code, out, err }
}

describe('cli webhooks', () => {
  const key = process.env.OPERATOR_KEY
  afterAll(() => {
    if (key === undefined) delete process.env.OPERATOR_KEY
    else process.env.OPERATOR_KEY = key
  })

  it('prints a fresh secret the server accepts, a new one each time', async () => {
    const a = await run('secret')
    const b = await run('secret')
    expect(a.code).toBe(0)
    expect(webhookKey(a.out.trim())).toHaveLength(32)
    expect(a.out).not.toBe(b.out)
  })

  it('lists the outbox and redelivers by id with the operator key, and says what is wrong otherwise', async () => {
    // Nothing listens on port 9 of loopback: every attempt fails, the row stays pending.
    const server = await startTestServer({ webhookUrl: 'http://127.0.0.1:9/', webhookSecret: `whsec_${Buffer.alloc(24, 3).toString('base64')}`, webhookPollMs: 50 })
    try {
      const room = await server.createRoom()
      delete process.env.OPERATOR_KEY
      expect((await run('list', '--url', server.url)).code).toBe(2)
      process.env.OPERATOR_KEY = 'not-the-key-but-long-enough-0123456789'
      expect(await run('list', '--url', server.url)).toMatchObject({ code: 1, err: expect.stringContaining('401') })
      process.env.OPERATOR_KEY = server.operatorKey
      const listed = await run('list', '--status', 'pending', '--url', server.url)
      expect(listed).toMatchObject({ code: 0, out: expect.stringContaining(`msg_${room.roomId}_1  room.created    pending`) })
      const json = await run('list', '--url', server.url, '--json')
      expect(JSON.parse(json.out)).toMatchObject({ enabled: true, deliveries: [{ id: `msg_${room.roomId}_1` }] })
      expect(await run('redeliver', '--id', `msg_${room.roomId}_1`, '--url', server.url)).toMatchObject({ code: 0, out: expect.stringContaining('pending') })
      expect((await run('redeliver', '--id', 'msg_none_1', '--url', server.url)).code).toBe(1)
      expect((await run('redeliver', '--url', server.url)).code).toBe(2)
      expect((await run('launch')).code).toBe(2)
    } finally {
      await server.close()
    }
  })
})
