// Starts test/helpers/serverProcess.ts as a child process.
import { spawn, type ChildProcess } from 'node:child_process'
import path from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

export interface ChildServer {
  url: string
  port: number
  operatorKey: string
  pid: number
  child: ChildProcess
  /** Next JSON line the server prints after `command`. */
  ask<T>(command: string): Promise<T>
  kill(signal?: NodeJS.Signals): Promise<void>
}

/** The environment of a server on a free loopback port with its DATA_DIR at `dataDir`. */
export function childEnv(dataDir: string, extra: Record<string, string> = {}): Record<string, string> {
  return { DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', ...extra }
}

export function startChildServer(env: Record<string, string>, script = path.join(ROOT, 'test/helpers/serverProcess.ts')): Promise<ChildServer> {
  const flags = process.env.BENCH_SERVER_NODE_FLAGS?.split(' ').filter(Boolean) ?? []
  const child = spawn(process.execPath, [...flags, '--import', 'tsx', script], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['pipe', 'pipe', 'inherit'],
  })
  const lines = createInterface({ input: child.stdout! })
  const waiting: ((line: string) => void)[] = []
  // Only JSON lines are answers (node flags such as --trace-gc may print to stdout too).
  lines.on('line', (line) => {
    if (line.startsWith('{')) waiting.shift()?.(line)
    else if (process.env.BENCH_SERVER_STDOUT) process.stderr.write(line + '\n')
  })
  const nextLine = (): Promise<string> => new Promise((resolve) => waiting.push(resolve))
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`server process exited with ${code}`)))
    void nextLine().then((line) => {
      const info = JSON.parse(line) as { url: string; port: number; operatorKey: string; pid: number }
      resolve({
        ...info,
        child,
        ask: async <T>(command: string): Promise<T> => {
          const answer = nextLine()
          child.stdin!.write(command + '\n')
          return JSON.parse(await answer) as T
        },
        kill: (signal: NodeJS.Signals = 'SIGKILL') =>
          new Promise<void>((done) => {
            if (child.exitCode !== null || child.signalCode !== null) return done()
            child.once('exit', () => done())
            child.kill(signal)
          }),
      })
    })
  })
}
