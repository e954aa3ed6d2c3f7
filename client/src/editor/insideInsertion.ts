/**
 * Whether an edit of suggesting mode's copy stayed inside words the copy inserts (typing on in
 * them, or deleting some of them): such an edit is compared once the typing pauses rather than at
 * once (suggestionTracker.ts), since its comparison would show the same insertion, longer or
 * shorter.
 */
import type { Node as ProseMirrorNode } from '@tiptap/pm/model'
import type { DecorationSet } from '@tiptap/pm/view'
import { clauseIdOfNode } from './clauseSkeleton'
import type { ChangeSpec } from './suggestionDecorations'
import type { ChangedRange } from './suggestionTracker'

/**
 * The clause ids holding `range` of `doc` (the clause it is in and its ancestors) when the edit
 * that changed it stayed inside one inserted run shown in `decorations` (of the document before
 * it): inside one textblock, within the run's inline decoration (or typed at its end), leaving some
 * of it, and touching no decoration of another change. Null otherwise.
 */
export function insideInsertion(
  decorations: DecorationSet,
  before: ProseMirrorNode,
  doc: ProseMirrorNode,
  range: ChangedRange,
): string[] | null {
  const { from, toBefore, toAfter } = range
  const found = decorations.find(from, toBefore)
  const run = found.find(
    (decoration) =>
      decoration.from < decoration.to &&
      (decoration.spec as Partial<ChangeSpec>).kind === 'insert' &&
      decoration.from <= from &&
      toBefore <= decoration.to,
  )
  if (!run) return null
  // Typed before the run's first character: not in it (its decoration does not take that in).
  if (from === run.from && toBefore === from) return null
  // The whole run deleted: the comparison may show something else there.
  if (from === run.from && toBefore === run.to && toAfter === from) return null
  const spec = run.spec as ChangeSpec
  // Nothing else may be where the edit is: another change's decorations, or a widget of this one
  // (a paragraph break at the run's end) that the edit would leave on the wrong side. The words
  // closing the run for a screen reader (side 1 at its end) move on past what is typed there.
  for (const decoration of found) {
    if (decoration === run) continue
    const other = decoration.spec as Partial<ChangeSpec> & { side?: number }
    if (other.clauseId !== spec.clauseId || other.change !== spec.change) return null
    if (decoration.from !== decoration.to) return null
    const at = decoration.from
    if (at < from || at > toBefore) continue
    if (at === run.to && (other.side ?? 0) > 0) continue
    return null
  }
  const $from = before.resolve(from)
  if (!$from.parent.isTextblock || !$from.sameParent(before.resolve(toBefore))) return null
  const $after = doc.resolve(from)
  if (!$after.parent.isTextblock || !$after.sameParent(doc.resolve(toAfter))) return null
  const ids: string[] = []
  for (let depth = $after.depth; depth > 0; depth--) {
    const id = clauseIdOfNode($after.node(depth))
    if (id !== null) ids.push(id)
  }
  return ids[0] === spec.clauseId ? ids : null
}
