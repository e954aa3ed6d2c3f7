/**
 * Carrying shared suggestions forward when Single Text N+1 is circulated: every open change of a
 * suggestion written against iteration N is rebased from N's clause tokens onto N+1's
 * (`rebaseSpan`). A change whose words and neighbours are all still there, in order, is carried:
 * it gets its span in N+1 and its suggestion the iteration N+1 (N appended to `carriedFrom`). Any
 * other change (its words or neighbours changed, or its clause is gone from N+1) becomes
 * `outdated` and stays written against N, so that it is shown against the text it was written
 * for and never over words it never saw. A delete and the insert it is paired with go together.
 *
 * A suggestion whose open changes all carry moves whole; one whose changes all become outdated
 * stays whole. A suggestion with both, or with decided changes beside carried ones, is split: the
 * suggestion keeps its id, iteration N, its decided and outdated changes (the clause's provenance
 * names its accepted changes by that id), and the carried changes move to a new suggestion.
 *
 * Each clause is tokenized and aligned with its next version once, however many suggestions and
 * changes it holds. At a circulation the carry is worked out ahead of the status commit, in slices
 * with the event loop let through between them ({@link planCarry}), and written in the commit as
 * worked out unless a suggestion changed meanwhile ({@link carryAtCommit}).
 */
import { randomUUID } from 'node:crypto'
import type { SharedChange, SharedSuggestion } from '@onetext/shared/statusDoc'
import { clauseRebaser } from '@onetext/shared/suggestions/rebase'
import { type ClauseToken, clauseTokens } from '@onetext/shared/suggestions/tokens'
import type { Node as PMNode } from '@tiptap/pm/model'
import { clauseNodesById } from './suggestionChanges'
import { runInSlices, runNow, type SliceStats, type Steps } from './timeSlices'

/** A token span of a clause. */
interface Span {
  from: number
  to: number
}

/** What carrying forward did: the suggestions to write (by id) and the counts of changes. */
export interface CarryOutcome {
  /** Suggestions to put in the status `suggestions` map (changed ones and new halves of splits). */
  put: SharedSuggestion[]
  carried: number
  outdated: number
}

/**
 * Where each open change of `changes` lands in `onto` (the same clause's tokens in the next
 * iteration), or absent when it does not carry. A change and its open paired change carry
 * together or not at all. `from` are the tokens the changes were written against; `rebase`, when
 * given, rebases from `from` onto `onto` (a {@link clauseRebaser} of the two, to align them once
 * for several calls).
 */
export function carrySpans(
  changes: readonly SharedChange[],
  from: ClauseToken[],
  onto: ClauseToken[] | null,
  rebase: ReturnType<typeof clauseRebaser> | null = onto && clauseRebaser(from, onto),
): Map<string, Span> {
  const spans = new Map<string, Span>()
  if (onto === null || rebase === null) return spans
  const byId = new Map(changes.map((change) => [change.id, change]))
  for (const change of changes) {
    if (change.status !== 'open') continue
    const partner = change.pairedWith === undefined ? undefined : byId.get(change.pairedWith)
    let span: Span | 'outdated'
    try {
      span = rebase(change, partner && partner.status === 'open' ? { paired: partner.base } : {})
    } catch (error) {
      if (!(error instanceof RangeError)) throw error
      span = 'outdated'
    }
    if (span !== 'outdated') spans.set(change.id, span)
  }
  for (const change of changes) {
    const partner = change.pairedWith === undefined ? undefined : byId.get(change.pairedWith)
    if (partner && partner.status === 'open' && spans.has(partner.id) !== spans.has(change.id)) {
      spans.delete(change.id)
      spans.delete(partner.id)
    }
  }
  return spans
}

/** The one token's text before and after `span` of `tokens` ('' at an edge). */
function contextOf(tokens: readonly ClauseToken[], span: Span): SharedChange['context'] {
  return { before: tokens[span.from - 1]?.text ?? '', after: tokens[span.to]?.text ?? '' }
}

/** `changes` without `pairedWith` where the paired change is not among them. */
function keepPairs(changes: SharedChange[]): SharedChange[] {
  const ids = new Set(changes.map((change) => change.id))
  return changes.map((change) => {
    if (change.pairedWith === undefined || ids.has(change.pairedWith)) return change
    const { pairedWith: _gone, ...rest } = change
    return rest
  })
}

/**
 * Carries the open shared changes of every suggestion written against iteration `from.number`
 * onto iteration `onto.number` (both given as ProseMirror documents); see the module comment.
 * Pure: answers what to write; suggestions without an open change are left alone.
 */
export function carryForward(
  suggestions: Iterable<SharedSuggestion>,
  from: { number: number; doc: PMNode },
  onto: { number: number; doc: PMNode },
  now: number = Date.now(),
): CarryOutcome {
  return runNow(carrySteps(suggestions, from, onto, now))
}

/** A clause in both iterations: its tokens in each (null: not there) and their rebaser. */
interface ClausePair {
  from: ClauseToken[] | null
  onto: ClauseToken[] | null
  rebase: ReturnType<typeof clauseRebaser> | null
}

/**
 * {@link carryForward} as steps with a pause point after each suggestion carried (timeSlices.ts):
 * `runNow(carrySteps(...))` is `carryForward(...)`.
 */
export function* carrySteps(
  suggestions: Iterable<SharedSuggestion>,
  from: { number: number; doc: PMNode },
  onto: { number: number; doc: PMNode },
  now: number = Date.now(),
): Steps<CarryOutcome> {
  const outcome: CarryOutcome = { put: [], carried: 0, outdated: 0 }
  let nodes: { from: Map<string, PMNode>; onto: Map<string, PMNode> } | null = null
  const pairs = new Map<string, ClausePair>()
  const clausePair = (clauseId: string): ClausePair => {
    let pair = pairs.get(clauseId)
    if (!pair) {
      nodes ??= { from: clauseNodesById(from.doc), onto: clauseNodesById(onto.doc) }
      const base = nodes.from.get(clauseId)
      const next = nodes.onto.get(clauseId)
      const fromTokens = base ? clauseTokens(base) : null
      const ontoTokens = next ? clauseTokens(next) : null
      pair = {
        from: fromTokens,
        onto: ontoTokens,
        rebase: fromTokens && ontoTokens ? clauseRebaser(fromTokens, ontoTokens) : null,
      }
      pairs.set(clauseId, pair)
    }
    return pair
  }
  for (const suggestion of suggestions) {
    if (suggestion.iteration !== from.number) continue
    if (!suggestion.changes.some((change) => change.status === 'open')) continue
    const tokens = clausePair(suggestion.clauseId)
    const spans =
      tokens.from === null
        ? new Map<string, Span>()
        : carrySpans(suggestion.changes, tokens.from, tokens.onto, tokens.rebase)
    const carried: SharedChange[] = []
    const stays: SharedChange[] = []
    for (const change of suggestion.changes) {
      const span = spans.get(change.id)
      if (change.status === 'open' && span && tokens.onto) {
        carried.push({ ...change, base: span, context: contextOf(tokens.onto, span) })
        outcome.carried++
      } else if (change.status === 'open') {
        stays.push({ ...change, status: 'outdated', decidedAt: now })
        outcome.outdated++
      } else stays.push(change)
    }
    const moved: SharedSuggestion = {
      ...suggestion,
      iteration: onto.number,
      carriedFrom: [...suggestion.carriedFrom, from.number],
      changes: keepPairs(carried),
    }
    if (stays.length === 0) outcome.put.push(moved)
    else if (carried.length === 0) outcome.put.push({ ...suggestion, changes: stays })
    else {
      outcome.put.push({ ...suggestion, changes: keepPairs(stays) })
      outcome.put.push({ ...moved, id: `s-${randomUUID()}` })
    }
    yield
  }
  return outcome
}

/** A carry worked out ahead of the status commit, and the suggestions it was worked out from. */
export interface CarryPlan {
  outcome: CarryOutcome
  /** Each suggestion given, as JSON, by id. */
  inputs: ReadonlyMap<string, string>
}

/**
 * Works out `carryForward(suggestions, from, onto, now)` in slices (timeSlices.ts), adding its
 * working time to `stats` when given.
 */
export async function planCarry(
  suggestions: readonly SharedSuggestion[],
  from: { number: number; doc: PMNode },
  onto: { number: number; doc: PMNode },
  now: number,
  stats?: SliceStats,
): Promise<CarryPlan> {
  const inputs = new Map(
    suggestions.map((suggestion) => [suggestion.id, JSON.stringify(suggestion)]),
  )
  const outcome = await runInSlices(carrySteps(suggestions, from, onto, now), { stats })
  return { outcome, inputs }
}

/**
 * What carrying `suggestions` (the open ones as the status commit sees them) forward writes: the
 * outcome of `plan` when it was worked out from exactly these suggestions, unchanged (`planned`
 * true); otherwise `carryForward(suggestions, from, onto, now)` worked out now.
 */
export function carryAtCommit(
  plan: CarryPlan | null,
  suggestions: readonly SharedSuggestion[],
  from: { number: number; doc: PMNode },
  onto: { number: number; doc: PMNode },
  now: number,
): { outcome: CarryOutcome; planned: boolean } {
  const unchanged =
    plan !== null &&
    plan.inputs.size === suggestions.length &&
    suggestions.every((suggestion) => plan.inputs.get(suggestion.id) === JSON.stringify(suggestion))
  if (plan && unchanged) return { outcome: plan.outcome, planned: true }
  return { outcome: carryForward(suggestions, from, onto, now), planned: false }
}
