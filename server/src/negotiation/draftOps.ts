/**
 * Operations the server performs on a working draft's clause tree in Yjs (`clause` elements, see
 * `@onetext/shared/clauses`): read it as ProseMirror JSON, find a clause element, give every clause
 * a unique clause id, and make body blocks of plain text (the migration of whole-clause
 * proposals, suggestionMigration.ts). Callers run the writing ones inside a SERVER_ORIGIN
 * transaction.
 */

import {
  CLAUSE_ID_ATTRIBUTE,
  CLAUSE_ID_PATTERN,
  CLAUSE_NODE,
  randomClauseId,
} from '@onetext/shared/clauses'
import { RICH_TEXT_FIELD } from '@onetext/shared/schema'
import type { JSONContent } from '@tiptap/core'
import { yXmlFragmentToProsemirrorJSON } from '@tiptap/y-tiptap'
import * as Y from 'yjs'

/** The draft as ProseMirror JSON. */
export function draftJson(doc: Y.Doc): JSONContent {
  return yXmlFragmentToProsemirrorJSON(doc.getXmlFragment(RICH_TEXT_FIELD)) as JSONContent
}

/** True for a clause element of the draft's Yjs tree. */
function isClauseElement(node: unknown): node is Y.XmlElement {
  return node instanceof Y.XmlElement && node.nodeName === CLAUSE_NODE
}

/** Calls `visit` for every clause element under `parent`, parents before children. */
export function forEachClauseElement(
  parent: Y.XmlFragment | Y.XmlElement,
  visit: (clause: Y.XmlElement) => void,
): void {
  for (const child of parent.toArray()) {
    if (!isClauseElement(child)) continue
    visit(child)
    forEachClauseElement(child, visit)
  }
}

/** The clause element with `clauseId`, or null. */
export function findClauseElement(doc: Y.Doc, clauseId: string): Y.XmlElement | null {
  let found: Y.XmlElement | null = null
  forEachClauseElement(doc.getXmlFragment(RICH_TEXT_FIELD), (clause) => {
    if (found === null && clause.getAttribute(CLAUSE_ID_ATTRIBUTE) === clauseId) found = clause
  })
  return found
}

/** Gives clauses without a unique, well-formed clause id a new one; returns how many it assigned. */
export function assignClauseIds(doc: Y.Doc): number {
  const seen = new Set<string>()
  let assigned = 0
  forEachClauseElement(doc.getXmlFragment(RICH_TEXT_FIELD), (clause) => {
    const id = clause.getAttribute(CLAUSE_ID_ATTRIBUTE)
    if (typeof id === 'string' && CLAUSE_ID_PATTERN.test(id) && !seen.has(id)) {
      seen.add(id)
      return
    }
    let fresh = randomClauseId()
    while (seen.has(fresh)) fresh = randomClauseId()
    clause.setAttribute(CLAUSE_ID_ATTRIBUTE, fresh)
    seen.add(fresh)
    assigned++
  })
  return assigned
}

function paragraph(text: string): Y.XmlElement {
  const element = new Y.XmlElement('paragraph')
  if (text !== '') element.insert(0, [new Y.XmlText(text)])
  return element
}

function list(kind: 'bulletList' | 'orderedList', items: string[]): Y.XmlElement {
  const element = new Y.XmlElement(kind)
  if (kind === 'orderedList') element.setAttribute('start', '1')
  element.insert(
    0,
    items.map((item) => {
      const listItem = new Y.XmlElement('listItem')
      listItem.insert(0, [paragraph(item)])
      return listItem
    }),
  )
  return element
}

/** Body blocks for plain text: one paragraph per line; runs of "- " or "1. " lines become lists. */
export function textToBlocks(text: string): Y.XmlElement[] {
  const blocks: Y.XmlElement[] = []
  const state: { run: { kind: 'bulletList' | 'orderedList'; items: string[] } | null } = {
    run: null,
  }
  const flush = () => {
    if (state.run) blocks.push(list(state.run.kind, state.run.items))
    state.run = null
  }
  for (const raw of text.replace(/\r\n?/g, '\n').split('\n')) {
    const line = raw.trim()
    if (line === '') {
      flush()
      continue
    }
    const bullet = /^[-*]\s+(.*)$/.exec(line)
    const ordered = /^\d+[.)]\s+(.*)$/.exec(line)
    const kind = bullet ? 'bulletList' : ordered ? 'orderedList' : null
    if (kind) {
      const item = (bullet?.[1] ?? ordered?.[1] ?? '').trim()
      if (state.run?.kind === kind) state.run.items.push(item)
      else {
        flush()
        state.run = { kind, items: [item] }
      }
      continue
    }
    flush()
    blocks.push(paragraph(line))
  }
  flush()
  return blocks
}
