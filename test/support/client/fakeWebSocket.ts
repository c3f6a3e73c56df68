// A WebSocket for y-websocket's WebSocketPolyfill that never touches the network: a test opens it and
// closes it with any code the server could send.
export class FakeWebSocket {
  static all: FakeWebSocket[] = []
  static OPEN = 1
  readonly OPEN = 1
  readyState = 0
  binaryType = 'arraybuffer'
  sent: Uint8Array[] = []
  onopen: (() => void) | null = null
  onclose: ((e: { code: number; reason: string }) => void) | null = null
  onmessage: ((e: { data: ArrayBuffer }) => void) | null = null
  onerror: (() => void) | null = null
  constructor(readonly url: string) {
    FakeWebSocket.all.push(this)
  }
  send(d: Uint8Array) {
    this.sent.push(d)
  }
  close() {
    this.readyState = 3
  }
  open() {
    this.readyState = 1
    this.onopen?.()
  }
  /** A binary frame from the server. */
  receive(data: Uint8Array) {
    this.onmessage?.({ data: data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer })
  }
  serverClose(code: number, reason: string) {
    this.readyState = 3
    this.onclose?.({ code, reason })
  }
}
