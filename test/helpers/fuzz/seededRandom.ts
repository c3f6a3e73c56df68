// The fuzz's one source of randomness: every case derives from FUZZ_SEED, so a seed reproduces a run.
import { prng } from '../../support/archive/session.ts'

export const SEED = Number(process.env.FUZZ_SEED ?? 20261123)

/** mulberry32 (one shared sequence for every surface of the run). */
export const rand = prng(SEED)
export const int = (n: number): number => Math.floor(rand() * n)
export const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!
export const bytes = (n: number): Uint8Array => Uint8Array.from({ length: n }, () => int(256))
