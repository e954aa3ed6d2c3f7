/**
 * A working draft held by a server Y.Doc behind the update gate with the draft's rules (the schema,
 * then the clause locks), for unit tests of the locks; and readers of its clause tree in Yjs.
 */

import type { PresenceUser } from '@onetext/shared/apiTypes'
import { CLAUSE_ID_ATTRIBUTE } from '@onetext/shared/clauses'
import { DOCUMENT_ROOTS } from '@onetext/shared/documentRoots'
import { getDocumentSchema, RICH_TEXT_FIELD } from '@onetext/shared/schema'
import type { JSONContent } from '@tiptap/core'
import { prosemirrorJSONToYDoc } from '@tiptap/y-tiptap'
import * as Y from 'yjs'
import type { GateChange, GateRule } from '../../server/src/gate/GateRule'
import { richTextRule } from '../../server/src/gate/richTextRule'
import { lockRule } from '../../server/src/negotiation/DraftGuard'
import { findClauseElement, forEachClauseElement } from '../../server/src/negotiation/draftOps'
import { gateOn } from './gateHarness'

/** A writer of the draft. */
export const writer: PresenceUser = {
  id: 'u-ana',
  name: 'Ana',
  color: '#000',
  role: 'mediator',
  partyId: null,
}

/**
 * The draft `json` on a server document behind a gate whose lock rule reads `locked` (change the
 * set to lock and unlock). `lastChange()` is the last change the gate's rules were shown.
 */
export async function lockedDraft(json: JSONContent, locked: Set<string>) {
  const server = prosemirrorJSONToYDoc(getDocumentSchema(), json, RICH_TEXT_FIELD)
  let last: GateChange | null = null
  const capture: GateRule = {
    check(change) {
      last = change
      return null
    },
  }
  const gated = await gateOn(server, {
    roots: DOCUMENT_ROOTS.draft,
    rules: [capture, richTextRule, lockRule(() => locked)],
  })
  return { server, ...gated, lastChange: () => last as GateChange | null }
}

/** The clause elements of `doc`'s rich text, in document order, each with its parent clause. */
export function clauseElements(
  doc: Y.Doc,
): Array<{ element: Y.XmlElement; parent: Y.XmlElement | null }> {
  const found: Array<{ element: Y.XmlElement; parent: Y.XmlElement | null }> = []
  forEachClauseElement(doc.getXmlFragment(RICH_TEXT_FIELD), (element) => {
    found.push({
      element,
      parent: element.parent instanceof Y.XmlElement ? element.parent : null,
    })
  })
  return found
}

/** The clause element with clause id `id` (throws when there is none). */
export function clauseElement(doc: Y.Doc, id: string): Y.XmlElement {
  const found = findClauseElement(doc, id)
  if (!found) throw new Error(`no clause ${id}`)
  return found
}

/** The text of a clause's heading (`clauseHeading`, its first child). */
export function headingText(clause: Y.XmlElement): Y.XmlText {
  return (clause.get(0) as Y.XmlElement).get(0) as Y.XmlText
}

/** The text of a clause's first body block (a paragraph, its second child). */
export function bodyText(clause: Y.XmlElement): Y.XmlText {
  return (clause.get(1) as Y.XmlElement).get(0) as Y.XmlText
}

/**
 * The locked clauses' content compared by value, as a check by content would: the XML of each
 * clause subtree whose id is in `locked`, keyed by id (clauses sharing an id are joined).
 */
export function lockedContent(doc: Y.Doc, locked: ReadonlySet<string>): Map<string, string> {
  const content = new Map<string, string>()
  for (const { element } of clauseElements(doc)) {
    const id = element.getAttribute(CLAUSE_ID_ATTRIBUTE)
    if (typeof id === 'string' && locked.has(id))
      content.set(id, (content.get(id) ?? '') + element.toString())
  }
  return content
}
