// The Yjs endpoint under fuzz: eight connections sending hostile frames until the server closes them,
// each close with an allowed code and a reason.
import { CLOSE } from '../../../shared/protocol/yjs.ts'
import { closed, invite, rawYjs } from '../server.ts'
import type { FuzzRun } from './FuzzRun.ts'
import { yjsCase } from './yjsFrames.ts'

const ALLOWED_CLOSES = new Set<number>([CLOSE.invalidMessage, CLOSE.tooLarge, CLOSE.forbiddenWrite])

export async function fuzzYjs(run: FuzzRun, cases: number): Promise<void> {
  const { server, victim, count, fail } = run
  const token = invite(victim, 'borrower')
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < cases) {
      const r = await rawYjs(server, victim.roomId, token)
      if (!r.ws) {
        fail(`yjs upgrade refused: ${r.status} ${r.body}`)
        return
      }
      const ws = r.ws
      const done = closed(ws)
      let open = true
      void done.then(() => (open = false))
      // Several frames per connection until the server closes it.
      const sent: string[] = []
      while (open && next < cases && sent.length < 20) {
        const c = yjsCase()
        next++
        count(`yjs:${c.kind}`)
        sent.push(c.kind)
        ws.send(c.data)
        await new Promise((res) => setImmediate(res))
      }
      if (open) {
        // Still open: it accepted everything (awareness, real updates); we hang up ourselves.
        const wait = await Promise.race([done, new Promise<null>((res) => setTimeout(() => res(null), 30))])
        if (wait) checkClose(run, wait, sent)
        else {
          ws.close()
          await done
        }
      } else checkClose(run, await done, sent)
    }
  }
  await Promise.all(Array.from({ length: 8 }, worker))
}

function checkClose({ count, fail }: FuzzRun, c: { code: number; reason: string }, sent: string[]): void {
  if (!ALLOWED_CLOSES.has(c.code) || c.reason === '') fail(`yjs close ${c.code} "${c.reason}" after ${sent.join(', ')}`)
  else count(`yjs close ${c.code}`)
}
