/**
 * Operations the server performs on a working draft's Y.XmlFragment: read it as ProseMirror JSON,
 * give every numbered heading a unique clause id, and replace a clause's body with new words
 * (adopting a proposal). Each reads through segments (`@onetext/shared/segments`). Callers run them
 * inside a SERVER_ORIGIN transaction.
 */

import { CLAUSE_ID_ATTRIBUTE, randomClauseId } from '@onetext/shared/clauses'
import { RICH_TEXT_FIELD } from '@onetext/shared/schema'
import { SEGMENT_NODE } from '@onetext/shared/segments'
import type { JSONContent } from '@tiptap/core'
import { yXmlFragmentToProsemirrorJSON } from '@tiptap/y-tiptap'
import * as Y from 'yjs'

/** The draft as ProseMirror JSON. */
export function draftJson(doc: Y.Doc): JSONContent {
  return yXmlFragmentToProsemirrorJSON(doc.getXmlFragment(RICH_TEXT_FIELD)) as JSONContent
}

/** A top-level block of a draft and where it sits: in the fragment itself or in a segment. */
export interface PlacedBlock {
  parent: Y.XmlFragment | Y.XmlElement
  index: number
  node: Y.XmlElement | Y.XmlText | Y.XmlHook
}

/** The draft's top-level blocks in order, the children of segments in the segments' place. */
export function placedBlocks(fragment: Y.XmlFragment): PlacedBlock[] {
  const placed: PlacedBlock[] = []
  fragment.toArray().forEach((child, index) => {
    if (child instanceof Y.XmlElement && child.nodeName === SEGMENT_NODE) {
      child.toArray().forEach((inner, innerIndex) => {
        placed.push({ parent: child, index: innerIndex, node: inner })
      })
    } else placed.push({ parent: fragment, index, node: child })
  })
  return placed
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
  for (const { node: child } of placedBlocks(doc.getXmlFragment(RICH_TEXT_FIELD))) {
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
 * Replaces the body of clause `clauseId` (the blocks after its heading, up to the next heading,
 * across segment boundaries) with blocks for `text`, placed right after the heading in the heading's
 * own segment; a segment left empty is removed. Returns false when the draft has no such clause.
 */
export function replaceClauseBody(doc: Y.Doc, clauseId: string, text: string): boolean {
  const fragment = doc.getXmlFragment(RICH_TEXT_FIELD)
  const blocks = placedBlocks(fragment)
  const headingIndex = blocks.findIndex(
    ({ node }) => isNumberedHeading(node) && node.getAttribute(CLAUSE_ID_ATTRIBUTE) === clauseId,
  )
  const heading = blocks[headingIndex]
  if (!heading) return false
  let end = headingIndex + 1
  while (end < blocks.length) {
    const node = blocks[end]?.node
    if (node instanceof Y.XmlElement && node.nodeName === 'heading') break
    end++
  }
  // The body's blocks as runs of neighbours in one parent, deleted last run first so that
  // deleting never shifts an index still to be used.
  const runs: Array<{ parent: Y.XmlFragment | Y.XmlElement; index: number; length: number }> = []
  for (const { parent, index } of blocks.slice(headingIndex + 1, end)) {
    const run = runs.at(-1)
    if (run && run.parent === parent && run.index + run.length === index) run.length++
    else runs.push({ parent, index, length: 1 })
  }
  for (const { parent, index, length } of runs.reverse()) {
    parent.delete(index, length)
    if (parent instanceof Y.XmlElement && parent.length === 0) {
      const segmentIndex = fragment.toArray().indexOf(parent)
      if (segmentIndex >= 0) fragment.delete(segmentIndex, 1)
    }
  }
  const body = textToBlocks(text)
  if (body.length > 0) heading.parent.insert(heading.index + 1, body)
  return true
}
