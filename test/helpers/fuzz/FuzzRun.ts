// What each surface's fuzz driver works against, and where it reports.
import type { CreateRoomResponse } from '../../../shared/protocol/http.ts'
import type { TestServer } from '../server.ts'

export interface FuzzRun {
  server: TestServer
  /** The room under attack. */
  victim: CreateRoomResponse
  /** A locked room: amend and rating read their bodies only there. */
  signed: CreateRoomResponse
  /** Tallies one case or outcome by kind. */
  count(kind: string): void
  /** Records a failure (the test asserts there are none). */
  fail(msg: string): void
}
