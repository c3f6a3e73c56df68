// The open connections of one room, and the relay of its awareness to them. The transport keeps one
// per Room object, so a reloaded room starts a fresh channel and broadcasts never look a room up by id.
import { removeAwarenessStates } from 'y-protocols/awareness'
import type { Room } from '../room/Room.ts'
import { awarenessGuard } from './awarenessGuard.ts'
import type { YjsConnection } from './YjsConnection.ts'
import { awarenessMessage } from './yjsMessages.ts'

interface AwarenessChange {
  added: number[]
  updated: number[]
  removed: number[]
}

export class YjsChannel {
  readonly connections = new Set<YjsConnection>()
  private readonly onAwareness = ({ added, updated, removed }: AwarenessChange): void => {
    const changed = [...added, ...updated, ...removed]
    if (changed.length === 0) return
    this.broadcast(awarenessMessage(this.room.awareness, changed))
  }

  constructor(readonly room: Room) {
    room.awareness.on('update', this.onAwareness)
  }

  get size(): number {
    return this.connections.size
  }

  add(conn: YjsConnection): void {
    this.connections.add(conn)
  }

  /** Sends `msg` to every connection but `except` (the one whose update it relays). */
  broadcast(msg: Uint8Array, except?: unknown): void {
    for (const c of this.connections) if (c !== except) c.send(msg)
  }

  /** Forgets a connection and the awareness entries it spoke for; true when the channel is empty now. */
  remove(conn: YjsConnection): boolean {
    if (!this.connections.delete(conn)) return false
    const owned = awarenessGuard(this.room).release(conn)
    if (owned.length > 0 && !this.room.isDisposed) removeAwarenessStates(this.room.awareness, owned, null)
    if (this.connections.size > 0) return false
    this.room.awareness.off('update', this.onAwareness)
    return true
  }
}
