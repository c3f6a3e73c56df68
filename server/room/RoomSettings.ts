// What every room of a server opens with: RoomRegistry takes these once and hands them to each room it loads.
import type { ServerKey } from '../agreement/serverKey.ts'
import type { DisclosureRules } from '../../shared/disclosure/disclosures.ts'
import type { Fanout } from '../cluster/Fanout.ts'
import type { Logger } from '../log.ts'
import type { Store } from '../store/Store.ts'
import type { PauseSettings } from './CoolingOff.ts'
import type { PresenceTiming } from './PresenceLog.ts'
import type { RoomListener } from './RoomListener.ts'
import type { QuotaLimits } from './RoomQuotas.ts'

export interface RoomSettings {
  store: Store
  log: Logger
  /** Take a load-cache snapshot once this many updates are stored since the last one. */
  snapshotEvery: number
  /** Coalesce room:state after document changes (the hash is recomputed at most this often). */
  stateDebounceMs?: number
  /** Signs the agreement at the lock (server/agreement/serverKey.ts); without it a room cannot lock. */
  serverKey?: ServerKey
  /** The warnings shown and recorded in the agreement (server/disclosureRules.ts); DEFAULT_DISCLOSURE_RULES when not given. */
  disclosureRules?: DisclosureRules
  /** Other server processes append to the same rooms (REDIS_URL): publish commits, follow theirs. */
  cluster?: Fanout
  /** Size quotas (server/room/RoomQuotas.ts); DEFAULT_QUOTAS when not given. */
  quotas?: QuotaLimits
  /** How join/leave lines are debounced (server/room/PresenceLog.ts); without it every connection counts at once. */
  presence?: PresenceTiming
  /** Cooling-off pauses (server/room/CoolingOff.ts); DEFAULT_PAUSES when not given. */
  pauses?: PauseSettings
}

/** One room's options: the settings, and whom it reports to. */
export interface RoomOptions extends RoomSettings {
  listener: RoomListener
}
