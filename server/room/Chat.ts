// The room's chat: each line stored once per clientId, and the recent history a joiner is sent (chat:history).
import { randomUUID } from 'node:crypto'
import { CHAT_HISTORY_LIMIT, type ChatMessage, type HistoryItem, type RoomEventLine } from '../../shared/protocol/chat.ts'
import { refuse } from '../../shared/protocol/errors.ts'
import { actorOf, type Actor } from '../../shared/protocol/room.ts'
import { chatTextProblem } from '../../shared/schema/protocol.schema.ts'
import type { Ack, ChatSendPayload, ChatSendResult } from '../../shared/protocol/socket.ts'
import type { StoredEvent } from '../store/Store.ts'
import { toChatMessage, toEventLine } from './eventViews.ts'
import { guard } from './guard.ts'
import type { Room } from './Room.ts'

export class Chat {
  private readonly messages: ChatMessage[] = []
  private readonly lines: RoomEventLine[] = []
  private readonly inFlight = new Map<string, Promise<Ack<ChatSendResult>>>()

  constructor(private readonly room: Room) {}

  /** The recent chat and system lines the store loaded with the room. */
  restore(recentChat: readonly StoredEvent[], recentSystem: readonly StoredEvent[]): void {
    for (const e of recentChat) this.messages.push(toChatMessage(e))
    for (const e of recentSystem) {
      const line = toEventLine(e)
      if (line) this.lines.push(line)
    }
  }

  /** Stores then broadcasts a chat line. Idempotent on clientId: a resend returns the stored message. */
  send(actor: Actor, input: ChatSendPayload): Promise<Ack<ChatSendResult>> {
    const problem = chatTextProblem(input.text)
    if (problem) return Promise.resolve(refuse('invalid_payload', problem))
    const text = input.text.trim()
    const refused = guard(this.room, actor)
    if (refused) return Promise.resolve(refused)
    const inFlight = this.inFlight.get(input.clientId)
    if (inFlight) return inFlight.then((r) => (r.ok ? { ...r, duplicate: true } : r))

    const payload = { id: randomUUID(), clientId: input.clientId, text }
    const result = this.room.write([{ actor: actorOf(actor), type: 'chat', payload, clientId: input.clientId }]).then(
      ([r]): Ack<ChatSendResult> => {
        const message = toChatMessage(r!.event)
        if (!r!.duplicate) this.show(message)
        return { ok: true, message, duplicate: r!.duplicate }
      },
      () => refuse('storage_failure', 'the message could not be stored; send it again'),
    )
    this.inFlight.set(input.clientId, result)
    void result.then(() => this.inFlight.delete(input.clientId))
    return result
  }

  /** A committed chat message: kept for chat:history and sent. */
  show(message: ChatMessage): void {
    remember(this.messages, message)
    this.room.listener.chat(this.room, message)
  }

  /** A published system line, kept for chat:history. */
  keepLine(line: RoomEventLine): void {
    remember(this.lines, line)
  }

  /** chat:history: the last chat messages and the system lines among them, by seq. */
  history(): HistoryItem[] {
    const first = this.messages.length >= CHAT_HISTORY_LIMIT ? this.messages[0]!.seq : 0
    const items: HistoryItem[] = [...this.messages, ...this.lines.filter((e) => e.seq >= first)]
    return items.sort((a, b) => a.seq - b.seq)
  }
}

function remember<T>(list: T[], item: T): void {
  list.push(item)
  if (list.length > CHAT_HISTORY_LIMIT) list.splice(0, list.length - CHAT_HISTORY_LIMIT)
}
