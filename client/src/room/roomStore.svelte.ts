// The Svelte face of a RoomClient: reactive copies of what the components read, and the figures
// computed in the browser from the shared terms (same engine and hash as the server).
import type { ScalarMap } from '../../../shared/document/roomDoc.ts'
import { contentHashOfDoc } from '../../../shared/content/contentHash.ts'
import { checkContent, type ContentCheck } from '../../../shared/content/validateContent.ts'
import { baselineEditable, breakdownOf, comparisonOf, isRestructuring, type NewPrincipalBreakdown, type RestructuringComparison } from '../../../shared/content/index.ts'
import type { WaiverCategory } from '../../../shared/restructuring/waivers.ts'
import { validateTerms } from '../../../shared/schema/terms.schema.ts'
import { computeSchedule, compare, affordability, type Comparison, type Affordability } from '../../../shared/terms/index.ts'
import type { Profile, ScheduleResult, Terms } from '../../../shared/terms/types.ts'
import { minorDigits } from '../../../shared/format/money.ts'
import type { RoomClient, Notice } from '../lib/roomClient.ts'
import type { Presence, RemoteEdit } from '../lib/presence.ts'
import type { ChatItem } from '../lib/chatLog.ts'
import type { ConnectionStatus } from '../lib/connectionStatus.ts'
import type { Confirmation, RoomState } from '../../../shared/protocol/index.ts'
import type { RoomFacts } from '../lib/roomInfo.ts'
import { DEFAULT_DISCLOSURE_RULES, type DisclosureRules } from '../../../shared/disclosure/disclosures.ts'
import { confirmationOf, confirmedNow } from '../lib/roomState.ts'
import type { ComparedContent } from '../../../shared/content/contentChanges.ts'
import { loadSeen, markContent, saveSeen, type SeenMark } from './seenMark.ts'
import { schemaError, fieldError, type SchemaError, type TermField } from '../lib/termFields.ts'
import type { Scalar } from '../../../shared/document/roomDoc.ts'
import { t } from '../lib/i18n.svelte.ts'
import { dateLong, money } from '../lib/format.ts'
import {
  baselineFieldProblem,
  restructuringErrors,
  validBaseline,
  waiverAmountProblem,
  type BaselineKey,
  type FieldMessage,
} from '../lib/restructuringFields.ts'

export type Computed = { ok: true; terms: Terms; result: ScheduleResult } | { ok: false; error: SchemaError }

export class RoomStore {
  terms = $state.raw<ScalarMap>({})
  profile = $state.raw<ScalarMap>({})
  baseline = $state.raw<ScalarMap>({})
  waivers = $state.raw<ScalarMap>({})
  commitments = $state.raw<ScalarMap>({})
  clauses = $state('')
  presence = $state.raw<Presence[]>([])
  remoteEdits = $state.raw<Record<string, RemoteEdit>>({})
  state = $state.raw<RoomState | null>(null)
  chat = $state.raw<ChatItem[]>([])
  status = $state<ConnectionStatus>('reconnecting')
  notice = $state.raw<Notice | null>(null)
  docVersion = $state(0)
  synced = $state(false)
  /** The content hash of this screen's copy of the document (must equal the server's currentHash). */
  localHash = $state('')

  readonly digits: number

  /**
   * The content this person last confirmed, or else last opened the review on (kept across reloads, seenMark.ts):
   * the review says what changed since, so nobody confirms a change they have not seen.
   */
  private seen: SeenMark | null

  /**
   * The figures of the content as it would be confirmed: the same check as the content hash
   * (checkContent: effective terms, baseline, waivers, commitments), so "valid here" means "confirmable".
   */
  checked: ContentCheck = $derived(
    checkContent({
      terms: this.terms,
      baseline: this.baseline,
      waivers: this.waivers,
      commitments: this.commitments,
      clauses: '',
      profile: {},
    }),
  )

  computed: Computed = $derived.by(() => {
    const checked = this.checked
    if (!checked.ok) return { ok: false, error: schemaError(checked.errors[0] ?? '/: is invalid') }
    try {
      const terms = checked.value.terms
      return { ok: true, terms, result: computeSchedule(terms) }
    } catch (e) {
      return { ok: false, error: { field: null, reason: e instanceof Error ? e.message : String(e) } }
    }
  })

  /** Before → after, when the room was created with an original loan. */
  comparison: Comparison | null = $derived.by(() => {
    const original = this.info.original
    if (!original || !this.computed.ok) return null
    const checked = validateTerms(original)
    if (!checked.ok) return null
    try {
      return compare(checked.value as Terms, this.computed.terms)
    } catch {
      return null
    }
  })

  profileValues: Profile | null = $derived.by(() => {
    const p = this.profile
    const n = (k: string) => (typeof p[k] === 'number' ? (p[k] as number) : undefined)
    const income = n('monthlyIncome')
    if (income === undefined) return null
    const out: Profile = {
      monthlyIncome: income,
      monthlyExpenses: n('monthlyExpenses') ?? 0,
      otherDebtPayments: n('otherDebtPayments') ?? 0,
    }
    const assets = n('assets')
    const liabilities = n('liabilities')
    if (assets !== undefined) out.assets = assets
    if (liabilities !== undefined) out.liabilities = liabilities
    return out
  })

  afford: Affordability | null = $derived.by(() => {
    if (!this.computed.ok || !this.profileValues) return null
    return affordability(this.profileValues, this.computed.result)
  })

  /** A room restructuring an existing debt (the lender stated an outstanding principal). */
  restructuring = $derived(isRestructuring({ baseline: this.baseline }))

  /** How the new principal is made up, once the debt and the waivers are valid (null otherwise or outside a restructuring). */
  breakdown: NewPrincipalBreakdown | null = $derived.by(() => {
    const b = breakdownOf({ baseline: this.baseline, waivers: this.waivers })
    return b?.ok ? b.breakdown : null
  })

  /** Baseline versus proposal for both sides (comparisonOf), once everything is valid. */
  recovery: RestructuringComparison | null = $derived.by(() => {
    if (!this.restructuring || !this.computed.ok) return null
    return comparisonOf({
      terms: this.terms,
      baseline: this.baseline,
      waivers: this.waivers,
      commitments: this.commitments,
      profile: this.profile,
      clauses: '',
    })
  })

  /** Content errors of the debt, the waivers and the commitments, by "section.field", translated for display. */
  sideErrors: Record<string, FieldMessage> = $derived(
    restructuringErrors(this.checked.errors, { money: (m) => money(m, this.currency), date: (d) => dateLong(d) }),
  )

  /** The one first due date of the room (commitments.firstDueDate): schedule dates count from it. */
  firstDueDate: string | null = $derived(typeof this.commitments.firstDueDate === 'string' ? this.commitments.firstDueDate : null)

  /** The roles whose confirmation is on record (the server freezes the baseline while any stands). */
  confirmedRoles: ('borrower' | 'lender')[] = $derived(
    (['borrower', 'lender'] as const).filter((r) => confirmationOf(this.state, r) !== null),
  )

  /** The other party's confirmation of the current content: what an edit by this person would clear (null for an observer). */
  othersConfirmation: Confirmation | null = $derived.by(() => {
    const me = this.client.me.role
    if (me !== 'borrower' && me !== 'lender') return null
    return this.state?.phase === 'locked' ? null : confirmedNow(this.state, me === 'borrower' ? 'lender' : 'borrower')
  })

  /** The lender may restate the debt only while nobody has confirmed (shared/document/baselineGuard.ts). */
  baselineOpen = $derived(this.canEdit('baseline') && baselineEditable(this.confirmedRoles))

  /** The cooling-off pause in force (the server drops it from room:state when it ends). */
  pause = $derived(this.state?.phase === 'negotiating' ? (this.state.pause ?? null) : null)

  phase = $derived(this.state?.phase ?? 'unknown')
  locked = $derived(this.state?.phase === 'locked')

  constructor(
    readonly client: RoomClient,
    readonly info: RoomFacts,
  ) {
    this.digits = minorDigits(info.currency)
    this.seen = loadSeen(info.roomId, client.me.role)
    client.on((change) => this.pull(change))
    this.pull('doc')
    this.pull('state')
    this.pull('chat')
    this.pull('link')
    this.pull('presence')
  }

  get me() {
    return this.client.me
  }

  get currency(): string {
    return this.info.currency
  }

  /** The server's disclosure rules (LPR table), or the zh-CN defaults when an older server gave none. */
  get disclosureRules(): DisclosureRules {
    return this.info.disclosureRules ?? DEFAULT_DISCLOSURE_RULES
  }

  private pull(change: string): void {
    const c = this.client
    switch (change) {
      case 'doc':
        this.docVersion = c.docVersion
        this.readContent()
        break
      case 'content':
        this.readContent()
        break
      case 'presence':
        this.presence = c.mirror.presence
        break
      case 'state':
        this.state = c.state
        this.status = c.status
        break
      case 'chat':
        this.chat = c.chatItems()
        break
      case 'link':
        this.status = c.status
        this.synced = c.synced
        break
      case 'notice':
        this.notice = c.notice
        this.status = c.status
        break
    }
  }

  private readContent(): void {
    const m = this.client.mirror
    if (this.terms !== m.terms) this.terms = m.terms
    if (this.profile !== m.profile) this.profile = m.profile
    if (this.baseline !== m.baseline) this.baseline = m.baseline
    if (this.waivers !== m.waivers) this.waivers = m.waivers
    if (this.commitments !== m.commitments) this.commitments = m.commitments
    this.clauses = m.clauses
    this.remoteEdits = m.remoteEdits
    this.localHash = contentHashOfDoc(this.client.doc)
  }

  /** The agreed content on screen, as a mark keeps it (seenMark.ts); read inside a $derived, it follows every change. */
  contentSnapshot(): ComparedContent {
    return markContent({
      terms: this.terms,
      baseline: this.baseline,
      waivers: this.waivers,
      commitments: this.commitments,
      profile: this.profile,
      clauses: this.clauses,
    })
  }

  /**
   * The review opens: answers the content to compare with (last confirmed, else last reviewed) and, unless a
   * confirmation is the mark, remembers this content as reviewed.
   */
  reviewOpened(): SeenMark | null {
    const before = this.seen
    if (!before?.confirmed) this.remember({ content: this.contentSnapshot(), confirmed: false })
    return before
  }

  /** This person confirmed this content. */
  confirmedContent(content: ComparedContent): void {
    this.remember({ content, confirmed: true })
  }

  private remember(mark: SeenMark): void {
    this.seen = mark
    saveSeen(this.info.roomId, this.client.me.role, mark)
  }

  /**
   * Writes a change of terms unless the schema refuses it because of this very field (then the
   * translated reason comes back and nothing is written). Errors about other fields do not block:
   * they show beside those fields.
   */
  commitTerms(field: TermField, patch: Record<string, Scalar | undefined>): string | null {
    const candidate: Record<string, Scalar> = { ...this.terms }
    for (const [k, v] of Object.entries(patch)) {
      if (v === undefined) delete candidate[k]
      else candidate[k] = v
    }
    const checked = validateTerms(candidate)
    if (!checked.ok) {
      const e = schemaError(checked.error)
      if (e.field === field) {
        const m = fieldError(field, candidate, this.digits)
        return t(m.key, m.params)
      }
    }
    this.client.setTerms(patch)
    return null
  }

  /** The shared terms' schema error for one field, translated (null when that field is fine). */
  sharedError(field: TermField): string | null {
    const c = this.computed
    if (c.ok || c.error.field !== field) return null
    const m = fieldError(field, this.terms, this.digits)
    return t(m.key, m.params)
  }

  editorsOf(field: string): Presence[] {
    return this.presence.filter((p) => p.editing === field)
  }

  /** A translated content error beside a restructuring field ("waivers.fees"), or null. */
  sideError(key: string): string | null {
    const m = this.sideErrors[key]
    return m ? t(m.key, m.params) : null
  }

  /** Writes one baseline value unless the baseline schema refuses that very field (then its reason comes back). */
  commitBaseline(field: BaselineKey, value: Scalar): string | null {
    if (!this.baselineOpen) return null
    const problem = baselineFieldProblem(this.baseline, field, value)
    if (problem) return t(problem.key, problem.params)
    this.client.setBaseline({ [field]: value })
    return null
  }

  /** Writes a waiver amount unless it is larger than its category of the baseline (never shared then). */
  commitWaiver(category: WaiverCategory, amount: number): string | null {
    const problem = waiverAmountProblem(validBaseline(this.baseline), category, amount, (m) => money(m, this.currency))
    if (problem) return t(problem.key, problem.params)
    // Nothing waived is no entry at all (a reason already typed stays, for when an amount comes back).
    this.client.setWaivers({ [category]: amount === 0 ? undefined : amount })
    return null
  }

  canEdit(root: 'terms' | 'profile' | 'clauses' | 'baseline' | 'waivers' | 'commitments'): boolean {
    // Read the reactive state so templates re-check on lock and pause, then ask the client (role rules).
    if (this.locked || this.pause || this.status === 'stopped') return false
    return this.client.canWrite(root)
  }
}
