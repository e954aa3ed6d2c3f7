/**
 * Operations the server performs on a working draft's Y.XmlFragment: read it as ProseMirror JSON,
 * give every numbered heading a unique clause id, and replace a clause's body with new words
 * (adopting a proposal). Callers run them inside a SERVER_ORIGIN transaction.
 */

import { CLAUSE_ID_ATTRIBUTE, randomClauseId } from '@onetext/shared/clauses'
import { RICH_TEXT_FIELD } from '@onetext/shared/schema'
import type { JSONContent } from '@tiptap/core'
import { yXmlFragmentToProsemirrorJSON } from '@tiptap/y-tiptap'
import * as Y from 'yjs'

/** The draft as ProseMirror JSON. */
export function draftJson(doc: Y.Doc): JSONContent {
  return yXmlFragmentToProsemirrorJSON(doc.getXmlFragment(RICH_TEXT_FIELD)) as JSONContent
}

function isNumberedHeading(node: unknown): node is Y.XmlElement {
  return (
    node instanceof Y.XmlElement &&
    node.nodeName === 'heading' &&
    Number(node.getAttribute('level') ?? 2) >= 2
  )
}

/** Gives numbered headings without a unique clause id a new one; returns how many it assigned. */
export function assignClauseIds(doc: Y.Doc): number {
  const seen = new Set<string>()
  let assigned = 0
  for (const child of doc.getXmlFragment(RICH_TEXT_FIELD).toArray()) {
    if (!isNumberedHeading(child)) continue
    const id = child.getAttribute(CLAUSE_ID_ATTRIBUTE)
    if (typeof id === 'string' && id !== '' && !seen.has(id)) {
      seen.add(id)
      continue
    }
    const fresh = randomClauseId()
    child.setAttribute(CLAUSE_ID_ATTRIBUTE, fresh)
    seen.add(fresh)
    assigned++
  }
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

/**
 * Replaces the body of clause `clauseId` (the blocks after its heading, up to the next heading)
 * with blocks for `text`. Returns false when the draft has no such clause.
 */
export function replaceClauseBody(doc: Y.Doc, clauseId: string, text: string): boolean {
  const fragment = doc.getXmlFragment(RICH_TEXT_FIELD)
  const children = fragment.toArray()
  const headingIndex = children.findIndex(
    (child) => isNumberedHeading(child) && child.getAttribute(CLAUSE_ID_ATTRIBUTE) === clauseId,
  )
  if (headingIndex < 0) return false
  let end = headingIndex + 1
  while (
    end < children.length &&
    !(
      children[end] instanceof Y.XmlElement &&
      (children[end] as Y.XmlElement).nodeName === 'heading'
    )
  ) {
    end++
  }
  const start = headingIndex + 1
  if (end > start) fragment.delete(start, end - start)
  const blocks = textToBlocks(text)
  if (blocks.length > 0) fragment.insert(start, blocks)
  return true
}
