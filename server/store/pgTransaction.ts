// One transaction on one pooled connection: a connection left in an unknown state is dropped, and a
// failed COMMIT is told apart (CommitUnknown), because then the writes may or may not be in the database.
import type pg from 'pg'

/** A failure after COMMIT was sent: the batch may or may not be in the database. */
export class CommitUnknown extends Error {}

/** Runs `work` in a transaction on one pooled connection; a failed COMMIT is a CommitUnknown. */
export async function transaction<T>(pool: pg.Pool, work: (c: pg.PoolClient) => Promise<T>, begin = 'BEGIN'): Promise<T> {
  const c = await pool.connect()
  // A connection whose transaction state is unknown is dropped, not returned to the pool.
  let broken: Error | undefined
  try {
    try {
      await c.query(begin)
    } catch (err) {
      broken = asError(err)
      throw err
    }
    let result: T
    try {
      result = await work(c)
    } catch (err) {
      await c.query('ROLLBACK').catch((e: unknown) => {
        broken = asError(e)
      })
      throw err
    }
    try {
      await c.query('COMMIT')
    } catch (err) {
      broken = asError(err)
      throw new CommitUnknown(`commit failed, outcome unknown: ${broken.message}`)
    }
    return result
  } finally {
    c.release(broken ?? false)
  }
}

export function asError(e: unknown): Error {
  return e instanceof Error ? e : new Error(String(e))
}
