// The chat as the browser sees it: server history, live messages, system lines and our own
// messages still on their way. Pure logic (no DOM, no socket): a transport is passed in.
import { CHAT_MAX_LENGTH, type ChatMessage, type HistoryItem, type RoomEventLine } from '../../../shared/protocol/chat.ts'
import type { Reply } from './request.ts'

export interface ChatTransport {
  isConnected(): boolean
  send(payload: { clientId: string; text: string }): Promise<Reply<'chat:send'>>
}

/** waiting: not sent yet (offline); sending: awaiting the ack; sent: acknowledged, the broadcast is on its way. */
export type OutgoingStatus = 'waiting' | 'sending' | 'sent' | 'failed'

export interface Outgoing {
  clientId: string
  text: string
  status: OutgoingStatus
  error?: string
  createdAt: number
}

export type ChatItem =
  | { kind: 'message'; key: string; message: ChatMessage; mine: boolean }
  | { kind: 'event'; key: string; event: RoomEventLine }
  | { kind: 'outgoing'; key: string; outgoing: Outgoing }

/** The contract's limit, named for the chat box. */
export const MAX_CHAT_LENGTH = CHAT_MAX_LENGTH

export class ChatLog {
  private messages = new Map<string, ChatMessage>() // by id
  private events = new Map<number, RoomEventLine>() // by log seq
  private outgoing = new Map<string, Outgoing>() // by clientId, in send order
  private sentClientIds = new Set<string>()
  private listeners = new Set<() => void>()

  constructor(
    private transport: ChatTransport,
    private newId: () => string = () => crypto.randomUUID(),
    private now: () => number = () => Date.now(),
  ) {}

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  private changed(): void {
    for (const l of this.listeners) l()
  }

  /** The whole history (sent on every join): messages and system lines, merged, never duplicated. */
  history(list: readonly HistoryItem[]): void {
    for (const item of list) {
      if (item.kind === 'event') this.addEvent(item)
      else this.accept(item)
    }
    this.changed()
  }

  message(m: ChatMessage): void {
    this.accept(m)
    this.changed()
  }

  event(e: RoomEventLine): void {
    this.addEvent(e)
    this.changed()
  }

  private addEvent(e: RoomEventLine): void {
    if (!this.events.has(e.seq)) this.events.set(e.seq, e)
  }

  private accept(m: ChatMessage): void {
    this.messages.set(m.id, m)
    if (m.clientId && this.outgoing.delete(m.clientId)) this.sentClientIds.add(m.clientId)
  }

  /** Queues a message and sends it now if connected; returns its clientId. */
  send(text: string): string | null {
    const trimmed = text.trim()
    if (!trimmed) return null
    const clientId = this.newId()
    this.outgoing.set(clientId, { clientId, text: trimmed, status: 'waiting', createdAt: this.now() })
    this.changed()
    void this.attempt(clientId)
    return clientId
  }

  /** After a (re)connect: everything not yet acknowledged goes again (the server is idempotent on clientId). */
  resendPending(): void {
    for (const o of this.outgoing.values()) {
      if (o.status === 'waiting') void this.attempt(o.clientId)
    }
  }

  /** The transport dropped: anything in flight will be resent on the next connect. */
  disconnected(): void {
    let any = false
    for (const o of this.outgoing.values()) {
      if (o.status === 'sending' || o.status === 'sent') {
        o.status = 'waiting'
        any = true
      }
    }
    if (any) this.changed()
  }

  retry(clientId: string): void {
    void this.attempt(clientId)
  }

  discard(clientId: string): void {
    if (this.outgoing.delete(clientId)) this.changed()
  }

  private async attempt(clientId: string): Promise<void> {
    const o = this.outgoing.get(clientId)
    if (!o || o.status === 'sending' || o.status === 'sent') return
    if (!this.transport.isConnected()) {
      o.status = 'waiting'
      this.changed()
      return
    }
    o.status = 'sending'
    delete o.error
    this.changed()
    let ack: Reply<'chat:send'>
    try {
      ack = await this.transport.send({ clientId, text: o.text })
    } catch {
      // Timeout or a dropped socket: keep it for the next connect.
      const still = this.outgoing.get(clientId)
      if (still && still.status === 'sending') {
        still.status = 'waiting'
        this.changed()
      }
      return
    }
    const still = this.outgoing.get(clientId)
    if (!still) return // the broadcast arrived first
    if (ack.ok) {
      if (ack.message) this.accept(ack.message)
      else {
        // Acknowledged; the broadcast carries the stored message.
        this.sentClientIds.add(clientId)
        still.status = 'sent'
      }
    } else {
      still.status = 'failed'
      still.error = ack.error
    }
    this.changed()
  }

  /** Everything to show, oldest first: messages and system lines by time, then our unsent messages. */
  items(isMine?: (m: ChatMessage) => boolean): ChatItem[] {
    const timeline: { t: number; order: number; item: ChatItem }[] = []
    for (const m of this.messages.values()) {
      timeline.push({
        t: m.ts,
        order: m.seq,
        item: { kind: 'message', key: `m:${m.id}`, message: m, mine: this.sentClientIds.has(m.clientId) || (isMine?.(m) ?? false) },
      })
    }
    for (const [seq, event] of this.events) {
      timeline.push({ t: event.ts, order: seq, item: { kind: 'event', key: `e:s${seq}`, event } })
    }
    timeline.sort((a, b) => a.t - b.t || a.order - b.order)
    const out = collapseReconnects(timeline.map((x) => x.item))
    for (const o of this.outgoing.values()) out.push({ kind: 'outgoing', key: `o:${o.clientId}`, outgoing: { ...o } })
    return out
  }

  get pendingCount(): number {
    return this.outgoing.size
  }
}

/** A reload or a network blip makes "left" then "joined" for the same person: neither line says anything. */
export const RECONNECT_WINDOW_MS = 2 * 60_000

export function collapseReconnects(items: ChatItem[]): ChatItem[] {
  const drop = new Set<number>()
  for (let i = 0; i < items.length; i++) {
    const a = items[i]
    if (a?.kind !== 'event' || a.event.type !== 'left') continue
    for (let j = i + 1; j < items.length; j++) {
      const b = items[j]
      if (b?.kind !== 'event') continue
      const same = b.event.actor?.role === a.event.actor?.role && b.event.actor?.name === a.event.actor?.name
      if (!same) continue
      if (b.event.type === 'joined' && b.event.ts - a.event.ts <= RECONNECT_WINDOW_MS) {
        drop.add(i)
        drop.add(j)
      }
      break
    }
  }
  return drop.size ? items.filter((_, i) => !drop.has(i)) : items
}
