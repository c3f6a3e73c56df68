// `npm start`: build the client when it is missing or older than its sources, then run the server.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const builtIndex = join(root, 'dist/client/index.html')
const sources = ['client', 'shared', 'vite.config.ts', 'svelte.config.js', 'package-lock.json']

function newestMtime(path) {
  if (!existsSync(path)) return 0
  const st = statSync(path)
  if (!st.isDirectory()) return st.mtimeMs
  let newest = 0
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules' || entry.startsWith('.')) continue
    newest = Math.max(newest, newestMtime(join(path, entry)))
  }
  return newest
}

const builtAt = existsSync(builtIndex) ? statSync(builtIndex).mtimeMs : 0
const sourcesAt = Math.max(...sources.map((s) => newestMtime(join(root, s))))
if (builtAt < sourcesAt) {
  console.log(builtAt ? 'Client sources changed: rebuilding the client…' : 'Building the client (first start)…')
  const vite = join(root, 'node_modules/vite/bin/vite.js')
  const res = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' })
  if (res.error) {
    console.error(`The client could not be built: ${res.error.message} (run npm install first?)`)
    process.exit(1)
  }
  if (res.status !== 0) {
    console.error('The client build failed; see the messages above.')
    process.exit(res.status ?? 1)
  }
}

const server = spawn(process.execPath, ['--import', 'tsx', join(root, 'server/main.ts')], {
  cwd: root,
  stdio: 'inherit',
  env: process.env,
})
server.on('error', (err) => {
  console.error(`The server could not be started: ${err.message}`)
  process.exit(1)
})
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal))
server.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
