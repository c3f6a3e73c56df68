// One signing key per test file, in a temporary DATA_DIR removed after the file's tests.
import { afterAll } from 'vitest'
import type { ServerKey } from '../../../server/agreement/serverKey.ts'
import { removeTemporaryKeys, temporaryServerKey } from './sampleAgreement.ts'

export function suiteServerKey(): ServerKey & { dir: string } {
  const key = temporaryServerKey()
  afterAll(removeTemporaryKeys)
  return key
}
