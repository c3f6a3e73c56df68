// The other party's confirmation that a published edit would clear. The room provides it once (RoomView)
// and every field of the shared document reads it, so the warning before publishing lives in SharedField
// alone; outside a room (the lobby, tests) there is none.
import { getContext, setContext } from 'svelte'
import type { Confirmation } from '../../../../shared/protocol/index.ts'

/** The context key, for a test that mounts a field with a confirmation at stake. */
export const CONFIRMATION_AT_STAKE = Symbol('confirmationAtStake')
const KEY = CONFIRMATION_AT_STAKE

type AtStake = () => Confirmation | null

/** Call while the room's view initialises. */
export function provideConfirmationAtStake(get: AtStake): void {
  setContext(KEY, get)
}

/** Call while a field initialises; read the answer inside a template or a derived value. */
export function confirmationAtStake(): AtStake {
  return getContext<AtStake | undefined>(KEY) ?? (() => null)
}
