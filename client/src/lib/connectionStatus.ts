// One line of truth for the connection indicator, from the two transports and the browser.

export type LinkState = 'connected' | 'connecting' | 'disconnected'
export type ConnectionStatus = 'online' | 'offline' | 'reconnecting' | 'stopped'

export interface LinkInputs {
  doc: LinkState
  chat: LinkState
  browserOnline: boolean
  /** The document connection was closed for good (a refused write or an oversized message). */
  stopped: boolean
}

export function connectionStatus(x: LinkInputs): ConnectionStatus {
  if (x.stopped) return 'stopped'
  if (x.doc === 'connected' && x.chat === 'connected') return 'online'
  if (!x.browserOnline) return 'offline'
  return 'reconnecting'
}
