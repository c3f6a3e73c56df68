// The benches' helper processes (load generators, the flooder), forked with tsx and talked to over IPC,
// and the command-line options every load bench takes.
import { fork, type ChildProcess } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const HERE = path.dirname(fileURLToPath(import.meta.url))
const ROOT = path.resolve(HERE, '../../..')

/** Forks test/helpers/bench/`script` (a .ts file) with an IPC channel. */
export function forkBenchProcess(script: string): ChildProcess {
  return fork(path.join(HERE, script), [], { cwd: ROOT, execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
}

/** The next IPC message of `type` from `child`; rejects if the process exits first. */
export function message<T extends { type: string }>(child: ChildProcess, type: T['type']): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: T): void => {
      if (m.type !== type) return
      child.off('message', onMessage)
      resolve(m)
    }
    child.on('message', onMessage)
    child.once('exit', (code) => reject(new Error(`bench process exited with ${code}`)))
  })
}

/** parseArgs options of the load (R rooms × 3 clients at E edits/s, spread over client processes); `seconds` is the bench's own default. */
export function loadOptions(seconds: string) {
  return {
    rooms: { type: 'string', default: '200' },
    edits: { type: 'string', default: '2' },
    seconds: { type: 'string', default: seconds },
    'client-procs': { type: 'string', default: '2' },
    warmup: { type: 'string', default: '3' },
  } as const
}
