// The socket.io commands. Adding one = a schema and a size limit in shared/schema/protocol.schema.ts,
// a Room method, and one line here; the adapter does rate limiting, size, validation and the ack.
import { refuse } from '../../shared/protocol/errors.ts'
import type { Actor, ObserverSide } from '../../shared/protocol/room.ts'
import type { Ack, ClientToServerEvents } from '../../shared/protocol/socket.ts'
import {
  CHAT_SEND_MAX_BYTES,
  CONFIRM_MAX_BYTES,
  PAUSE_CALL_MAX_BYTES,
  PAUSE_END_MAX_BYTES,
  RATING_MAX_BYTES,
  WITHDRAW_MAX_BYTES,
  validateChatSend,
  validateConfirm,
  validatePauseCall,
  validatePauseEnd,
  validateRating,
  validateWithdraw,
} from '../../shared/schema/protocol.schema.ts'
import type { Validation } from '../../shared/schema/validate.ts'
import type { ConfirmContext } from '../room/Confirmations.ts'
import type { Room } from '../room/Room.ts'

/** Who sent the command, as the connection saw it (recorded with a confirmation); `side`: an observer attached to a party. */
export type CommandContext = ConfirmContext & { side?: ObserverSide }

export interface SocketCommand<P> {
  /** Largest payload accepted, as JSON bytes (bigger: `too_large` with this limit). */
  maxBytes: number
  validate(x: unknown): Validation<P>
  run(room: Room, actor: Actor, payload: P, context: CommandContext): Promise<Ack<object>>
}

function command<P>(validate: (x: unknown) => Validation<P>, maxBytes: number, run: SocketCommand<P>['run']): SocketCommand<P> {
  return { maxBytes, validate, run }
}

export const SOCKET_COMMANDS: { [E in keyof ClientToServerEvents]: SocketCommand<Parameters<ClientToServerEvents[E]>[0]> } = {
  'chat:send': command(validateChatSend, CHAT_SEND_MAX_BYTES, (room, actor, p) => room.sendChat(actor, p)),
  confirm: command(validateConfirm, CONFIRM_MAX_BYTES, (room, actor, p, context) => room.confirm(actor, p, context)),
  'confirm:withdraw': command(validateWithdraw, WITHDRAW_MAX_BYTES, (room, actor) => room.withdraw(actor)),
  'rating:submit': command(validateRating, RATING_MAX_BYTES, (room, actor, p) => room.rate(actor, p)),
  // A pause is called by a party or a neutral: an observer at one side's side (its advisor, its counsel) asks its party.
  'pause:call': command(validatePauseCall, PAUSE_CALL_MAX_BYTES, (room, actor, p, context) =>
    context.side && context.side !== 'neutral' ? Promise.resolve(refuse('forbidden', 'only a party or a neutral observer may call a pause')) : room.pause(actor, p),
  ),
  'pause:end': command(validatePauseEnd, PAUSE_END_MAX_BYTES, (room, actor) => room.endPause(actor)),
}
