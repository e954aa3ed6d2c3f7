/**
 * The mediator's review beside the working draft: the parties' shared suggestions on the clause
 * the caret is in, to accept or reject while editing the text freely in the full-width editor
 * (an accepted change arrives in the editor as any other writer's edit), and the other clauses
 * with open suggestions, each a button that takes the caret there.
 */
import type { SharedSuggestion } from '@onetext/shared/statusDoc'
import type { Editor } from '@tiptap/core'
import { clauseIdOfNode, forEachClauseNode } from '../../editor/clauseSkeleton'
import { moveToClause } from '../../editor/openAtClause'
import { useCaretClause } from '../../editor/useCaretClause'
import { useNegotiation } from './NegotiationContext'
import { SuggestionReview } from './SuggestionReview'

/** Open changes per clause id, over every party's shared suggestions. */
export function openChangesByClause(
  suggestions: Readonly<Record<string, SharedSuggestion>>,
): Map<string, number> {
  const counts = new Map<string, number>()
  for (const suggestion of Object.values(suggestions)) {
    const open = suggestion.changes.filter((change) => change.status === 'open').length
    if (open > 0) counts.set(suggestion.clauseId, (counts.get(suggestion.clauseId) ?? 0) + open)
  }
  return counts
}

/** The review pane beside the working draft in `editor` (the mediator's). */
export function DraftSuggestionPane({ editor }: { editor: Editor }) {
  const view = useNegotiation()
  const caret = useCaretClause(editor)
  const suggestions = view.status.suggestions
  const open = openChangesByClause(suggestions)
  const here =
    caret !== null &&
    Object.values(suggestions).some((suggestion) => suggestion.clauseId === caret.id)
  const elsewhere: Array<{ id: string; number: string; heading: string; count: number }> = []
  forEachClauseNode(editor.state.doc, ({ node, number }) => {
    const id = clauseIdOfNode(node)
    const count = id === null ? 0 : (open.get(id) ?? 0)
    if (id !== null && count > 0 && id !== caret?.id)
      elsewhere.push({ id, number, heading: node.firstChild?.textContent || '(untitled)', count })
    return undefined
  })
  return (
    <aside className="clause-panel draft-suggestions" aria-labelledby="draft-suggestions-title">
      <h2 id="draft-suggestions-title">Shared suggestions</h2>
      {caret === null ? (
        <p className="muted">
          Put the caret in a clause to review the parties’ shared suggestions on it here.
        </p>
      ) : here ? (
        <SuggestionReview clauseId={caret.id} clauseNumber={caret.number} inDraft />
      ) : (
        <p className="muted">
          No party has shared a suggestion on clause {caret.number}, {caret.heading}.
        </p>
      )}
      {elsewhere.length > 0 && (
        <nav aria-labelledby="draft-suggestions-elsewhere">
          <h3 id="draft-suggestions-elsewhere">Open suggestions on other clauses</h3>
          <ul className="plain-list">
            {elsewhere.map((clause) => (
              <li key={clause.id}>
                <button
                  type="button"
                  className="link-button"
                  onClick={() => moveToClause(editor, clause.id)}
                >
                  Clause {clause.number}, {clause.heading}
                </button>{' '}
                <span className="muted">
                  {clause.count} open {clause.count === 1 ? 'change' : 'changes'}
                </span>
              </li>
            ))}
          </ul>
        </nav>
      )}
    </aside>
  )
}
