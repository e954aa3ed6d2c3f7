/**
 * Refuses working-draft updates that change a tentatively agreed clause. While any clause is
 * locked, the guard keeps a shadow copy of the draft: a client's update is applied to the shadow
 * first and the locked clauses' content compared before and after. Only an update that leaves them
 * untouched reaches the real document. A refused update leaves the shadow diverged, so it is
 * rebuilt from the real document on the next check.
 */

import { CLAUSE_ID_ATTRIBUTE } from '@onetext/shared/clauses'
import { RICH_TEXT_FIELD } from '@onetext/shared/schema'
import * as Y from 'yjs'
import type { UpdateValidator } from '../sync/UpdateValidator'
import { placedBlocks } from './draftOps'
import { ShadowCopy } from './ShadowCopy'

/** The XML of each locked clause's blocks (heading and body, across segments), keyed by clause id. */
export function lockedClauseContent(doc: Y.Doc, locked: ReadonlySet<string>): Map<string, string> {
  const content = new Map<string, string>()
  let current: string | null = null
  for (const { node: child } of placedBlocks(doc.getXmlFragment(RICH_TEXT_FIELD))) {
    if (child instanceof Y.XmlElement && child.nodeName === 'heading') {
      const level = Number(child.getAttribute('level') ?? 2)
      const id = child.getAttribute(CLAUSE_ID_ATTRIBUTE)
      current = level >= 2 && typeof id === 'string' ? id : null
    }
    if (current !== null && locked.has(current)) {
      content.set(current, (content.get(current) ?? '') + child.toString())
    }
  }
  return content
}

function sameContent(a: Map<string, string>, b: Map<string, string>): boolean {
  if (a.size !== b.size) return false
  for (const [id, xml] of a) if (b.get(id) !== xml) return false
  return true
}

export class DraftGuard implements UpdateValidator {
  readonly refusal = 'Your change touched a tentatively agreed clause and was refused.'
  private readonly shadow: ShadowCopy

  constructor(
    doc: Y.Doc,
    private readonly locked: () => ReadonlySet<string>,
  ) {
    this.shadow = new ShadowCopy(doc)
  }

  accept(update: Uint8Array): boolean {
    const locked = this.locked()
    if (locked.size === 0) {
      this.shadow.drop()
      return true
    }
    const before = lockedClauseContent(this.shadow.current(), locked)
    this.shadow.apply(update)
    if (sameContent(before, lockedClauseContent(this.shadow.current(), locked))) return true
    this.shadow.drop()
    return false
  }
}
