/**
 * The clauses of the working draft that changed since the last iteration, for the summary shown
 * before circulating: read from the draft's own copy in the page, compared clause by clause.
 */

import { type ClauseDiff, diffClauses } from '@onetext/shared/clauseDiff'
import { extractClauses } from '@onetext/shared/clauses'
import { getDocumentSchema } from '@onetext/shared/schema'
import { yXmlFragmentToProseMirrorRootNode } from '@tiptap/y-tiptap'
import type * as Y from 'yjs'
import type { IterationDetail } from '../../api'

/** Every clause added, changed, moved or removed in `draft` against `last` (all of them when none). */
export function changesSince(draft: Y.Doc, last: IterationDetail | null): ClauseDiff[] {
  const node = yXmlFragmentToProseMirrorRootNode(
    draft.getXmlFragment('default'),
    getDocumentSchema(),
  )
  const now = extractClauses(node.toJSON())
  return diffClauses(last?.clauses ?? [], now).filter((clause) => clause.change !== 'same')
}
