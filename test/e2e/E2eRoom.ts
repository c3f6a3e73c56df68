// One negotiation in Chromium for a describe block: the real server in-process, a room created over HTTP, the
// browser, and one context per person who opens their invite; all of it torn down after the block.
import type { Browser, BrowserContext, Page } from 'playwright-core'
import type { RunningServer } from '../../server/app.ts'
import type { Config } from '../../server/config.ts'
import { createRoom, launchChromium, openInvite, startE2eServer, teardownE2e, type Invites } from './harness.ts'

export interface E2eRoomOptions {
  /** Names the temporary DATA_DIR. */
  dataDirPrefix: string
  operatorKey: string
  /** What must be on a page before a person's invite counts as open. */
  ready: string
  readyState?: 'attached' | 'visible'
  acceptDownloads?: boolean
  /** Dismiss and record every dialog (else Playwright dismisses them unseen). */
  recordDialogs?: boolean
  /** Server settings over the harness's (e.g. a short PAUSE_MINUTE_MS). */
  config?: Partial<Config>
}

export class E2eRoom {
  server!: RunningServer
  dataDir!: string
  browser!: Browser
  roomId!: string
  invites!: Invites
  /** Every browser context opened here (for teardown); a test may add its own. */
  readonly contexts: BrowserContext[] = []
  /** "role: message" of every page error, for the suite's last test to check. */
  readonly pageErrors: string[] = []
  /** "role: message" of every dialog, when recordDialogs is on. */
  readonly dialogs: string[] = []

  constructor(private readonly options: E2eRoomOptions) {}

  /** For beforeAll: starts the server, creates the room from `body` and launches Chromium. */
  async start(body: object): Promise<void> {
    ;({ server: this.server, dataDir: this.dataDir } = await startE2eServer(this.options.dataDirPrefix, this.options.operatorKey, this.options.config))
    ;({ roomId: this.roomId, invites: this.invites } = await createRoom(this.server, this.options.operatorKey, body))
    this.browser = await launchChromium()
  }

  /** Opens `role`'s invite in a fresh context, started in `lang`. */
  open(role: keyof Invites, lang: 'en' | 'zh' = 'en', viewport = { width: 1366, height: 800 }): Promise<Page> {
    const { ready, readyState, acceptDownloads, recordDialogs } = this.options
    return openInvite(this.browser, this.contexts, {
      role,
      url: this.invites[role].url,
      lang,
      viewport,
      pageErrors: this.pageErrors,
      ready,
      ...(readyState ? { readyState } : {}),
      ...(acceptDownloads ? { acceptDownloads } : {}),
      ...(recordDialogs ? { dialogs: this.dialogs } : {}),
    })
  }

  /** For afterAll. */
  close(): Promise<void> {
    return teardownE2e({ contexts: this.contexts, browser: this.browser, server: this.server, dataDir: this.dataDir })
  }
}
