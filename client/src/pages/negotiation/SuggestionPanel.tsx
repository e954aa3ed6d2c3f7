/**
 * Under the editor of a party's copy: the clause at the caret, the change at the caret (what, who,
 * when: the words a pointer's hover shows in a title, for the keyboard), the party's rationale for
 * the clause (a shared text, `rationales` root of the copy), and for the party lead "Share clause N"
 * and "Share all".
 */
import { RATIONALES_ROOT } from '@onetext/shared/suggestions/copyDoc'
import type { Editor } from '@tiptap/core'
import type { EditorState } from '@tiptap/pm/state'
import { useEditorState } from '@tiptap/react'
import { useCallback, useEffect, useState, useSyncExternalStore } from 'react'
import * as Y from 'yjs'
import { shareSuggestions } from '../../api'
import type { CollabSession } from '../../collab/CollabSession'
import { YTextArea } from '../../collab/YTextArea'
import { ConfirmButton } from '../../components/ConfirmButton'
import { FormError } from '../../components/FormError'
import { useFormAction } from '../../components/useFormAction'
import { clauseIdOfNode, forEachClauseNode } from '../../editor/clauseSkeleton'
import { changeAt, suggestionMarksKey } from '../../editor/suggestionMarks'
import { useNegotiation } from './NegotiationContext'

/** The clause at the caret and what the panel shows of it. */
interface CaretClause {
  id: string
  number: string
  heading: string
  /** Changes in the clause (its own content; child clauses count on their own). */
  changes: number
  /** The title of the change at the caret, if any. */
  atCaret: string | null
  /** Clauses of the copy with changes. */
  changedClauses: number
}

/** The innermost clause holding the caret of `state`, with its number, or null outside clauses. */
export function caretClause(state: EditorState): CaretClause | null {
  const { $from } = state.selection
  let id: string | null = null
  let pos = -1
  for (let depth = $from.depth; depth > 0; depth--) {
    const node = $from.node(depth)
    if (node.type.name !== 'clause') continue
    id = clauseIdOfNode(node)
    pos = $from.before(depth)
    break
  }
  if (id === null) return null
  let number = ''
  let heading = ''
  forEachClauseNode(state.doc, (clause) => {
    if (number !== '') return false
    if (clause.pos === pos) {
      number = clause.number
      heading = clause.node.firstChild?.textContent ?? ''
    }
    return clause.pos < pos && pos < clause.pos + clause.node.nodeSize ? undefined : false
  })
  const entries = suggestionMarksKey.getState(state)?.entries
  let changedClauses = 0
  for (const entry of entries?.values() ?? []) if (entry.diff.changes.length > 0) changedClauses++
  return {
    id,
    number,
    heading,
    changes: entries?.get(id)?.diff.changes.length ?? 0,
    atCaret: changeAt(state, $from.pos)?.title ?? null,
    changedClauses,
  }
}

/** The Y.Text of the rationale of `clauseId` in the copy, re-read when the rationales change. */
function useRationale(doc: Y.Doc, clauseId: string): Y.Text | null {
  const map = doc.getMap<unknown>(RATIONALES_ROOT)
  const subscribe = useCallback(
    (listener: () => void) => {
      map.observe(listener)
      return () => map.unobserve(listener)
    },
    [map],
  )
  return useSyncExternalStore(subscribe, () => {
    const text = map.get(clauseId)
    return text instanceof Y.Text ? text : null
  })
}

export function SuggestionPanel({
  editor,
  session,
  iteration,
  writable,
}: {
  editor: Editor
  session: CollabSession
  iteration: number
  writable: boolean
}) {
  const clause = useEditorState({
    editor,
    selector: ({ editor: current }) => caretClause(current.state),
  })
  if (!clause) {
    return (
      <section className="suggestion-panel" aria-label="Suggestions">
        <p className="muted">
          Put the caret in a clause to see its suggested changes and the rationale for them.
        </p>
      </section>
    )
  }
  return (
    <ClauseSuggestions
      clause={clause}
      session={session}
      iteration={iteration}
      writable={writable}
    />
  )
}

function ClauseSuggestions({
  clause,
  session,
  iteration,
  writable,
}: {
  clause: CaretClause
  session: CollabSession
  iteration: number
  writable: boolean
}) {
  const view = useNegotiation()
  const rationale = useRationale(session.doc, clause.id)
  const { busy, error, run } = useFormAction()
  const [shared, setShared] = useState<string | null>(null)
  const name = `Clause ${clause.number}`
  const share = (clauseIds?: string[]) => {
    setShared(null)
    void run(async () => {
      const groups = await shareSuggestions(
        view.detail.id,
        iteration,
        clauseIds,
        session.clientState(),
      )
      setShared(
        clauseIds
          ? `${name} was shared with the table.`
          : `${groups.length} clause${groups.length === 1 ? '' : 's'} shared with the table.`,
      )
    })
  }
  const rationaleId = `rationale-${clause.id}`
  // The rationale's shared text is made when a member first goes to write it; the field then
  // becomes the shared one and keeps the keyboard.
  const [started, setStarted] = useState<string | null>(null)
  useEffect(() => {
    if (rationale && started === clause.id) {
      document.getElementById(rationaleId)?.focus()
      setStarted(null)
    }
  }, [rationale, started, clause.id, rationaleId])
  return (
    <section className="suggestion-panel" aria-labelledby="suggestion-panel-title">
      <h3 id="suggestion-panel-title">
        {name}
        {clause.heading ? `. ${clause.heading}` : ''}
      </h3>
      <p>
        {clause.changes === 0
          ? 'No suggested changes in this clause yet.'
          : `${clause.changes} suggested change${clause.changes === 1 ? '' : 's'} in this clause.`}
      </p>
      <p className="caret-change" aria-live="polite">
        {clause.atCaret ? `At the caret: ${clause.atCaret}.` : ''}
      </p>
      <label htmlFor={rationaleId}>Rationale: the interest these changes serve</label>
      {rationale ? (
        <YTextArea id={rationaleId} text={rationale} rows={2} readOnly={!writable} />
      ) : (
        <textarea
          id={rationaleId}
          rows={2}
          readOnly={!writable}
          value=""
          placeholder={writable ? '' : 'No rationale written.'}
          onFocus={() => {
            if (!writable) return
            const map = session.doc.getMap<unknown>(RATIONALES_ROOT)
            if (map.has(clause.id)) return
            setStarted(clause.id)
            map.set(clause.id, new Y.Text())
          }}
          onChange={() => {}}
        />
      )}
      <FormError error={error} />
      <p role="status" className="muted">
        {shared ?? ''}
      </p>
      {view.isLead && writable && (
        <div className="button-row">
          <ConfirmButton
            label={`Share ${name.toLowerCase()}`}
            confirmLabel={`Share ${name.toLowerCase()}`}
            primary
            disabled={busy || clause.changes === 0}
            what={`Everyone at the table, the other parties included, will read ${view.myParty?.name}’s changes to ${name.toLowerCase()} and their rationale. Shared changes cannot be taken back; the mediator may accept or reject each.`}
            onConfirm={() => share([clause.id])}
          />
          <ConfirmButton
            label="Share all"
            confirmLabel="Share every clause"
            disabled={busy || clause.changedClauses === 0}
            what={`Everyone at the table will read ${view.myParty?.name}’s changes to every clause (${clause.changedClauses} with changes) and their rationales. Shared changes cannot be taken back.`}
            onConfirm={() => share()}
          />
        </div>
      )}
    </section>
  )
}
