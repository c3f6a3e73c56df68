// Staff passwords: argon2id (@node-rs/argon2, prebuilt binaries, no build step) with OWASP's parameters
// (19 MiB, 2 passes, 1 lane: ~20-40 ms here). The PHC string carries its parameters, so raising them
// later still verifies old hashes.
import { hash, verify, type Algorithm, type Options } from '@node-rs/argon2'

// Algorithm is an ambient const enum, which isolatedModules cannot read: 2 is its Argon2id.
const OPTIONS: Options = { algorithm: 2 as Algorithm, memoryCost: 19_456, timeCost: 2, parallelism: 1 }

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS)
}

/** false for a wrong password and for a stored value that is not an argon2 hash. */
export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password)
  } catch {
    return false
  }
}

let decoy: Promise<string> | null = null

/**
 * Spends what a real check costs, for a sign-in whose account does not exist (or has no password):
 * an unknown e-mail and a wrong password then answer alike, in the same time.
 */
export async function verifyDecoy(password: string): Promise<false> {
  decoy ??= hashPassword(`decoy-${Math.random()}`)
  await verifyPassword(await decoy, password)
  return false
}
