/**
 * Refuses working-draft updates that change a tentatively agreed clause: a rule of the update gate
 * (server/src/gate/UpdateGate.ts). While any clause is locked, the locked clauses' content in the
 * live document and in the gate's copy with the update applied are compared; an update that changed
 * them is refused.
 */

import { CLAUSE_ID_ATTRIBUTE } from '@onetext/shared/clauses'
import { RefusalReason } from '@onetext/shared/protocol'
import { RICH_TEXT_FIELD } from '@onetext/shared/schema'
import type * as Y from 'yjs'
import type { GateChange, GateRefusal, GateRule } from '../gate/GateRule'
import { forEachClauseElement } from './draftOps'

/** The XML of each locked clause's subtree, keyed by clause id. */
export function lockedClauseContent(doc: Y.Doc, locked: ReadonlySet<string>): Map<string, string> {
  const content = new Map<string, string>()
  forEachClauseElement(doc.getXmlFragment(RICH_TEXT_FIELD), (clause) => {
    const id = clause.getAttribute(CLAUSE_ID_ATTRIBUTE)
    if (typeof id === 'string' && locked.has(id)) content.set(id, clause.toString())
  })
  return content
}

function sameContent(a: Map<string, string>, b: Map<string, string>): boolean {
  if (a.size !== b.size) return false
  for (const [id, xml] of a) if (b.get(id) !== xml) return false
  return true
}

/** What the client is told when its change touched a locked clause. */
export const LOCKED_REFUSAL: GateRefusal = {
  reason: RefusalReason.locked,
  text: 'Your change touched a tentatively agreed clause and was refused.',
}

/** The gate rule of the working draft; `locked()` gives the locked clause ids at the moment. */
export function lockRule(locked: () => ReadonlySet<string>): GateRule {
  return {
    check(change: GateChange): GateRefusal | null {
      const ids = locked()
      if (ids.size === 0) return null
      const before = lockedClauseContent(change.before, ids)
      return sameContent(before, lockedClauseContent(change.after, ids)) ? null : LOCKED_REFUSAL
    },
  }
}
