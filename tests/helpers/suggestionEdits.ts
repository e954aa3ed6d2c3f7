/**
 * Editing suggestion copies and the working draft from tests as the editor would: find a clause
 * and a word in it, pick words that occur once in a clause, and write a ProseMirror transform back
 * into a client's Yjs document.
 */
import { CLAUSE_ID_ATTRIBUTE, CLAUSE_NODE } from '@onetext/shared/clauses'
import { getDocumentSchema } from '@onetext/shared/schema'
import type { Node as PMNode } from '@tiptap/pm/model'
import { Transform } from '@tiptap/pm/transform'
import { updateYFragment, yXmlFragmentToProseMirrorRootNode } from '@tiptap/y-tiptap'
import type { TestClient } from './yClient'

const schema = getDocumentSchema()

/** Position just inside clause `clauseId` of `doc` (before its first child), and the node. */
export function clauseAt(doc: PMNode, clauseId: string): { pos: number; node: PMNode } {
  let found: { pos: number; node: PMNode } | null = null
  doc.descendants((node, pos) => {
    if (found) return false
    if (node.type.name === CLAUSE_NODE && node.attrs[CLAUSE_ID_ATTRIBUTE] === clauseId) {
      found = { pos: pos + 1, node }
      return false
    }
    return true
  })
  if (!found) throw new Error(`no clause ${clauseId}`)
  return found
}

/** The document position of the only occurrence of `needle` inside clause `clauseId`. */
export function textPosition(doc: PMNode, clauseId: string, needle: string): number {
  const { pos: start, node } = clauseAt(doc, clauseId)
  let at = -1
  node.descendants((child, pos) => {
    if (at >= 0) return false
    if (child.isText) {
      const index = (child.text ?? '').indexOf(needle)
      if (index >= 0) at = start + pos + index
    }
    return true
  })
  if (at < 0) throw new Error(`no “${needle}” in clause ${clauseId}`)
  return at
}

/** Words of at least five letters of a clause's own paragraphs that occur once in the clause. */
export function uniqueWords(doc: PMNode, clauseId: string): string[] {
  const { node } = clauseAt(doc, clauseId)
  const all = node.textContent
  const words: string[] = []
  node.descendants((child, _pos, parent) => {
    if (child.type.name === CLAUSE_NODE) return false
    if (child.isText && parent?.type.name === 'paragraph')
      words.push(...((child.text ?? '').match(/[A-Za-z]{5,}/g) ?? []))
    return true
  })
  return words.filter(
    (word, index) => all.split(word).length === 2 && words.indexOf(word) === index,
  )
}

/** Edits `client`'s rich text as the editor would: a ProseMirror transform written back. */
export function edit(client: TestClient, change: (tr: Transform) => void): void {
  const before = yXmlFragmentToProseMirrorRootNode(client.fragment, schema)
  const tr = new Transform(before)
  change(tr)
  client.doc.transact(() =>
    updateYFragment(client.doc, client.fragment, tr.doc, {
      mapping: new Map(),
      isOMark: new Map(),
    }),
  )
}
