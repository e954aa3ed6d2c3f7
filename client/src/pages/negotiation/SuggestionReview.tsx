/**
 * The mediator's workspace on one clause: every party's shared suggestions on it, each with its
 * rationale and its changes (kind, the words in context, author, time), each change accepted into
 * the working draft or rejected, or all of a party's at once; a change whose words changed in the
 * draft says it was written against its iteration and shows its own context. "Edit freely" opens
 * the working draft at the clause, where the same review follows the caret (DraftSuggestionPane).
 */
import { formatDocumentName } from '@onetext/shared/documentNames'
import { getDocumentSchema } from '@onetext/shared/schema'
import type { SharedChange, SharedSuggestion } from '@onetext/shared/statusDoc'
import { type ClauseToken, clauseTokens } from '@onetext/shared/suggestions/tokens'
import { useMemo, useState } from 'react'
import { ApiRequestError, decideSuggestion } from '../../api'
import { formatMoment } from '../../components/dates'
import { changeVerb, formatLookStyle } from '../../editor/changeLook'
import { clauseFragment } from '../../editor/openAtClause'
import { navigate } from '../../routing'
import { wordGap } from './changeWords'
import { partyColor, useNegotiation } from './NegotiationContext'
import { clauseDocument } from './SuggestionColumns'
import { PartySwatch } from './SuggestionOverlay'
import { overlayParties } from './sharedSuggestions'
import { viewPath } from './viewRoute'

/** How many tokens of context a change row shows on each side. */
const CONTEXT_TOKENS = 8

/** The words around a change in the base clause (`tokens`), up to the paragraph's edge. */
export function contextOf(
  tokens: readonly ClauseToken[] | null,
  change: Pick<SharedChange, 'base' | 'context'>,
): { before: string; after: string } {
  if (!tokens) return change.context
  const before: string[] = []
  for (let at = change.base.from - 1; at >= 0 && before.length < CONTEXT_TOKENS; at--) {
    const token = tokens[at]
    if (!token || (token.kind !== 'word' && token.kind !== 'space' && token.kind !== 'punct')) break
    before.unshift(token.text)
  }
  const after: string[] = []
  for (let at = change.base.to; at < tokens.length && after.length < CONTEXT_TOKENS; at++) {
    const token = tokens[at]
    if (!token || (token.kind !== 'word' && token.kind !== 'space' && token.kind !== 'punct')) break
    after.push(token.text)
  }
  return { before: before.join(''), after: after.join('') }
}

const KIND_LABEL: Record<SharedChange['kind'], string> = {
  insert: 'Insert',
  delete: 'Delete',
  format: 'Format',
}

/** What a change does, as its row's first word: "Insert", "Delete", or the format ("Made bold"). */
function kindLabel(change: SharedChange): string {
  if (change.kind !== 'format') return KIND_LABEL[change.kind]
  const verb = changeVerb(change)
  return verb === 'reformatted' ? KIND_LABEL.format : `${verb[0]?.toUpperCase()}${verb.slice(1)}`
}

/** One change: what it does in context, who and when, and its decision or the buttons. */
function ChangeRow({
  suggestion,
  change,
  tokens,
  partyName,
  busy,
  problem,
  onDecide,
}: {
  suggestion: SharedSuggestion
  change: SharedChange
  tokens: readonly ClauseToken[] | null
  partyName: string
  busy: boolean
  problem: string | null
  onDecide: (decision: 'accept' | 'reject') => void
}) {
  const context = contextOf(tokens, change)
  const words = change.text.trim()
  // The spaces around the words stay outside the mark: the line covers words only.
  const leading = change.text.slice(0, change.text.length - change.text.trimStart().length)
  const trailing = change.text.slice(change.text.trimEnd().length)
  const what = `${changeVerb(change)} ‘${words}’`
  const Mark = change.kind === 'insert' ? 'ins' : change.kind === 'delete' ? 'del' : 'span'
  return (
    <li className={`review-change review-${change.status}`} data-change-id={change.id}>
      <span className="review-kind">{kindLabel(change)}</span>
      {' · '}
      <span className="review-context">
        …{context.before}
        {wordGap(context.before, change.text)}
        {words === '' ? '' : leading}
        <Mark className={`review-words review-${change.kind}`} style={formatLookStyle(change)}>
          <span className="visually-hidden">
            {change.kind === 'insert'
              ? '[inserted:'
              : change.kind === 'delete'
                ? '[deleted:'
                : `[${changeVerb(change)}:`}
            {'\u00a0'}
          </span>
          {words === '' ? change.text : words}
          <span className="visually-hidden">]</span>
        </Mark>
        {words === '' ? '' : trailing}
        {wordGap(change.text, context.after)}
        {context.after}…
      </span>
      {' · '}
      <span className="review-author">{change.authorName || 'unknown author'}</span>
      {change.at > 0 && (
        <>
          {' · '}
          <span className="muted">{formatMoment(change.at)}</span>
        </>
      )}
      {change.status === 'open' ? (
        <span className="button-row review-buttons">
          <button
            type="button"
            disabled={busy}
            aria-label={`Accept: ${partyName} ${what}`}
            onClick={() => onDecide('accept')}
          >
            Accept
          </button>
          <button
            type="button"
            disabled={busy}
            aria-label={`Reject: ${partyName} ${what}`}
            onClick={() => onDecide('reject')}
          >
            Reject
          </button>
        </span>
      ) : (
        <span className="review-decision">
          {' · '}
          {change.status === 'outdated'
            ? `written against Single Text ${suggestion.iteration}; the text changed`
            : `${change.status}${change.decidedByName ? ` by ${change.decidedByName}` : ''}`}
        </span>
      )}
      {problem && (
        <p className="review-problem" role="alert">
          {problem}
        </p>
      )}
    </li>
  )
}

/** The words of a refused decision. */
function problemText(error: unknown, suggestion: SharedSuggestion): string {
  if (error instanceof ApiRequestError && error.code === 'text-changed')
    return `Written against Single Text ${suggestion.iteration}; the text changed. Edit the draft freely instead.`
  if (error instanceof ApiRequestError) return error.message
  return String(error)
}

/** One party's shared suggestion on the clause. */
function SuggestionGroup({
  suggestion,
  tokens,
}: {
  suggestion: SharedSuggestion
  tokens: readonly ClauseToken[] | null
}) {
  const view = useNegotiation()
  const party = overlayParties(view).find((entry) => entry.id === suggestion.partyId)
  const partyName = party?.name ?? suggestion.partyId
  const [busy, setBusy] = useState(false)
  // A refusal per change ('*' for the whole group).
  const [problems, setProblems] = useState<ReadonlyMap<string, string>>(new Map())
  const decide = async (changeId: string | null, decision: 'accept' | 'reject') => {
    setBusy(true)
    const key = changeId ?? '*'
    try {
      await decideSuggestion(
        view.detail.id,
        suggestion.id,
        changeId,
        decision,
        view.session('draft')?.clientState(),
      )
      setProblems((old) => {
        const next = new Map(old)
        next.delete(key)
        return next
      })
    } catch (error) {
      setProblems((old) => new Map(old).set(key, problemText(error, suggestion)))
    } finally {
      setBusy(false)
    }
  }
  const open = suggestion.changes.filter((change) => change.status === 'open')
  return (
    <li className="review-group" style={{ borderLeftColor: partyColor(view, suggestion.partyId) }}>
      <p className="proposal-meta">
        {party && <PartySwatch party={party} />} <strong>{partyName}</strong>, shared by{' '}
        {suggestion.sharedByName} ({formatMoment(suggestion.sharedAt)}), on Single Text{' '}
        {suggestion.iteration}
      </p>
      {suggestion.rationale.trim() !== '' && (
        <p className="rationale">Interest: {suggestion.rationale}</p>
      )}
      <ul className="review-changes">
        {suggestion.changes.map((change) => (
          <ChangeRow
            key={change.id}
            suggestion={suggestion}
            change={change}
            tokens={tokens}
            partyName={partyName}
            busy={busy}
            problem={problems.get(change.id) ?? null}
            onDecide={(decision) => void decide(change.id, decision)}
          />
        ))}
      </ul>
      {open.length > 1 && (
        <div className="button-row">
          <button type="button" disabled={busy} onClick={() => void decide(null, 'accept')}>
            Accept all of {partyName} on this clause
          </button>
          <button
            type="button"
            disabled={busy}
            aria-label={`Reject all of ${partyName} on this clause`}
            onClick={() => void decide(null, 'reject')}
          >
            Reject all
          </button>
        </div>
      )}
      {problems.get('*') && (
        <p className="review-problem" role="alert">
          {problems.get('*')}
        </p>
      )}
    </li>
  )
}

/** The mediator's review of the shared suggestions on clause `clauseId`. */
export function SuggestionReview({
  clauseId,
  clauseNumber,
  inDraft = false,
}: {
  clauseId: string
  clauseNumber: string
  /** Shown beside the working draft (default false): no "Edit freely" link to it. */
  inDraft?: boolean
}) {
  const view = useNegotiation()
  const iteration = view.iteration
  const tokens = useMemo(() => {
    const doc = iteration ? clauseDocument(iteration.doc, clauseId) : null
    const clause = doc?.content?.[0]
    if (!clause) return null
    try {
      return clauseTokens(getDocumentSchema().nodeFromJSON(clause))
    } catch {
      return null
    }
  }, [iteration, clauseId])
  const parties = overlayParties(view)
  const order = new Map(parties.map((party) => [party.id, party.index]))
  const groups = Object.values(view.status.suggestions)
    .filter((suggestion) => suggestion.clauseId === clauseId)
    .sort(
      (a, b) =>
        (order.get(a.partyId) ?? 0) - (order.get(b.partyId) ?? 0) || a.sharedAt - b.sharedAt,
    )
  if (groups.length === 0) return null
  const draftName = formatDocumentName({ negotiationId: view.detail.id, kind: 'draft' })
  return (
    <section className="panel-section suggestion-review" aria-labelledby={`review-${clauseId}`}>
      <h3 id={`review-${clauseId}`}>Review the suggestions on clause {clauseNumber}</h3>
      <ul className="review-groups">
        {groups.map((suggestion) => (
          <SuggestionGroup
            key={suggestion.id}
            suggestion={suggestion}
            tokens={iteration && suggestion.iteration === iteration.number ? tokens : null}
          />
        ))}
      </ul>
      {!inDraft && (
        <button
          type="button"
          onClick={() =>
            navigate(
              `${viewPath(view.detail.id, { view: 'document', name: draftName })}${clauseFragment(clauseId)}`,
            )
          }
        >
          Edit freely in the working draft
        </button>
      )}
    </section>
  )
}
