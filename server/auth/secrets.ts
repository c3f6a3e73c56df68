// Secrets given by the environment, or generated once and kept in DATA_DIR (mode 0600).
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'

export interface Secret {
  value: string
  /** Created just now (the operator key is then printed once). */
  generated: boolean
  file?: string
}

/** A given SECRET or OPERATOR_KEY shorter than this is refused at start (the generated ones have 43). */
export const MIN_SECRET_LENGTH = 32

/** Throws the start-up error for a given secret too short to resist guessing; `name` is its variable. */
export function checkSecretLength(name: string, value: string | undefined): void {
  if (value === undefined || value.length >= MIN_SECRET_LENGTH) return
  throw new Error(
    `${name} must be at least ${MIN_SECRET_LENGTH} characters (got ${value.length}); ` +
      `unset it to have one generated, or make one with: openssl rand -base64 32`,
  )
}

export function loadOrCreateSecret(dataDir: string, fileName: string, given: string | undefined): Secret {
  if (given) return { value: given, generated: false }
  const file = path.join(dataDir, fileName)
  try {
    return { value: fs.readFileSync(file, 'utf8').trim(), generated: false, file }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
  }
  const value = randomBytes(32).toString('base64url')
  try {
    fs.writeFileSync(file, value + '\n', { mode: 0o600, flag: 'wx' })
  } catch (err) {
    // Another process created it first: use theirs.
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return { value: fs.readFileSync(file, 'utf8').trim(), generated: false, file }
    throw err
  }
  return { value, generated: true, file }
}
