// The room's shared document as plain values the UI can read: each map root, the clauses, who is
// here (awareness) and who last changed which field. Rebound to each new Y.Doc (a restart swaps it).
import type * as Y from 'yjs'
import type { Awareness } from 'y-protocols/awareness'
import { ROOT, readContent, type Scalar, type ScalarMap } from '../../../shared/document/roomDoc.ts'
import { authorOf, readPresence, writerOf, type Presence, type RemoteEdit } from './presence.ts'

export type MirrorChange = 'content' | 'presence'

/** The map roots and the prefix of their keys in `remoteEdits` (terms keep bare keys: "rate"). */
const MAP_ROOTS = { terms: '', profile: 'profile.', baseline: 'baseline.', waivers: 'waivers.', commitments: 'commitments.' } as const

export class DocMirror {
  terms: ScalarMap = {}
  profile: ScalarMap = {}
  baseline: ScalarMap = {}
  waivers: ScalarMap = {}
  commitments: ScalarMap = {}
  clauses = ''
  presence: Presence[] = []
  /** By field key ("rate", "profile.assets", "clauses"): the last change another person made. */
  remoteEdits: Record<string, RemoteEdit> = {}

  private unbind: (() => void) | null = null

  constructor(
    private changed: (c: MirrorChange) => void,
    /** Changes arriving with the first sync are the room's past, not someone typing now. */
    private showsRemoteEdits: () => boolean,
  ) {}

  /** Follows a new document (and forgets the previous one). */
  bind(doc: Y.Doc, awareness: Awareness): void {
    this.release()
    this.remoteEdits = {}
    this.read(doc)

    const stops: (() => void)[] = []
    for (const [root, prefix] of Object.entries(MAP_ROOTS)) {
      const map = doc.getMap<Scalar>(root)
      const onMap = (event: Y.YMapEvent<Scalar>) => {
        if (event.transaction.local || !this.showsRemoteEdits()) return
        for (const key of event.keysChanged) {
          const who = authorOf(writerOf(event.target, key), awareness)
          if (who) this.remoteEdits = { ...this.remoteEdits, [`${prefix}${key}`]: { ...who, at: Date.now() } }
        }
      }
      map.observe(onMap)
      stops.push(() => map.unobserve(onMap))
    }
    // Text items carry no field name: the author is whoever says they are editing the clauses.
    const text = doc.getText(ROOT.clauses)
    const onText = (event: Y.YTextEvent) => {
      if (event.transaction.local || !this.showsRemoteEdits()) return
      const who = this.presence.find((p) => !p.self && p.editing === 'clauses') ?? null
      if (who) this.remoteEdits = { ...this.remoteEdits, clauses: { name: who.name, role: who.role, color: who.color, at: Date.now() } }
    }
    text.observe(onText)
    stops.push(() => text.unobserve(onText))

    const onAfter = () => {
      this.read(doc)
      this.changed('content')
    }
    doc.on('afterTransaction', onAfter)
    stops.push(() => doc.off('afterTransaction', onAfter))

    const onAwareness = () => {
      this.presence = readPresence(awareness, doc.clientID)
      this.changed('presence')
    }
    awareness.on('change', onAwareness)
    stops.push(() => awareness.off('change', onAwareness))
    onAwareness()

    this.unbind = () => {
      for (const stop of stops) stop()
    }
    this.changed('content')
  }

  /** Stops following the current document. */
  release(): void {
    this.unbind?.()
    this.unbind = null
  }

  // Unchanged maps keep their identity, so typing in the clauses does not recompute the schedule.
  private read(doc: Y.Doc): void {
    const next = readContent(doc)
    this.terms = keepIfSame(this.terms, next.terms)
    this.profile = keepIfSame(this.profile, next.profile)
    this.baseline = keepIfSame(this.baseline, next.baseline)
    this.waivers = keepIfSame(this.waivers, next.waivers)
    this.commitments = keepIfSame(this.commitments, next.commitments)
    this.clauses = next.clauses
  }
}

function keepIfSame(prev: ScalarMap, next: ScalarMap): ScalarMap {
  const a = Object.keys(prev)
  const b = Object.keys(next)
  if (a.length !== b.length) return next
  for (const k of b) if (prev[k] !== next[k]) return next
  return prev
}
