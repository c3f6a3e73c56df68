// How many of the other people's messages the reader has not had in front of them: counted for the
// phone's Chat tab badge. What was already there when the room opened (the history) counts as read,
// because nothing tells this browser what the person saw last time.
import type { ChatItem } from '../lib/chatLog.ts'

export class UnreadCount {
  private readonly seen = new Set<string>()
  private primed = false

  /** The chat as it is now and whether it is on screen → the number of unread messages. */
  update(items: readonly ChatItem[], visible: boolean): number {
    const others = items.filter((i) => i.kind === 'message' && !i.mine)
    if (!this.primed) {
      // The first list with anything in it is the history sent on join.
      if (items.length === 0) return 0
      this.primed = true
      for (const i of others) this.seen.add(i.key)
    }
    if (visible) for (const i of others) this.seen.add(i.key)
    return others.filter((i) => !this.seen.has(i.key)).length
  }
}
