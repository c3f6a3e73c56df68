// What a room tells the transports (through RoomRegistry's hub); every call comes after the change is committed.
import type { ChatMessage, RoomEventLine } from '../../shared/protocol/chat.ts'
import type { RoomState } from '../../shared/protocol/room.ts'
import type { Room } from './Room.ts'

export interface RoomListener {
  update(room: Room, update: Uint8Array, origin: unknown): void
  chat(room: Room, message: ChatMessage): void
  event(room: Room, line: RoomEventLine): void
  state(room: Room, state: RoomState): void
  /** A write failed: the room stops taking changes and must be dropped and reloaded. */
  failed(room: Room, error: Error): void
  /** Someone receives room:state for this room (else it is not computed; joiners get it fresh). */
  watching(room: Room): boolean
}
