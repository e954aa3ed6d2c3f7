/**
 * What the update gate promises about every document, checked on the server's copies at the end
 * of a run: whatever got through, no document holds a root it did not have before the run (or its
 * kind allows), rich text the editor's schema does not know or deeper than MAX_TREE_DEPTH,
 * or annotations in somebody else's name. A breach means an update the gate should
 * have refused was applied.
 */
import { ANNOTATIONS_ROOT } from '@onetext/shared/annotations'
import type { DocumentKind } from '@onetext/shared/documentNames'
import { DOCUMENT_ROOTS } from '@onetext/shared/documentRoots'
import { MAX_TREE_DEPTH } from '@onetext/shared/limits'
import { getDocumentSchema, RICH_TEXT_FIELD } from '@onetext/shared/schema'
import * as Y from 'yjs'
import type { FuzzUser } from './attacker'

/** y-prosemirror writes overlapping marks of one type as `<mark>--<8-character hash>`. */
const HASHED_MARK = /^(.+)--[A-Za-z0-9+/=]{8}$/

/** Root names that hold something. */
export function filledRoots(doc: Y.Doc): string[] {
  return [...doc.share.entries()]
    .filter(([, type]) => type._start !== null || type._map.size > 0)
    .map(([name]) => name)
}

function checkRichText(doc: Y.Doc, problems: string[]): void {
  const schema = getDocumentSchema()
  const walk = (node: Y.XmlFragment | Y.XmlElement, depth: number): void => {
    for (const child of node.toArray()) {
      if (child instanceof Y.XmlElement) {
        const type = schema.nodes[child.nodeName]
        if (!type || type.isText || type === schema.topNodeType)
          problems.push(`element <${child.nodeName.slice(0, 40)}> the schema does not know`)
        if (depth + 1 > MAX_TREE_DEPTH) problems.push(`an element ${depth + 1} levels deep`)
        else walk(child, depth + 1)
      } else if (child instanceof Y.XmlText) {
        for (const op of child.toDelta() as Array<{ attributes?: Record<string, unknown> }>) {
          for (const name of Object.keys(op.attributes ?? {})) {
            const mark = HASHED_MARK.exec(name)?.[1] ?? name
            if (!schema.marks[mark])
              problems.push(`mark ${mark.slice(0, 40)} the schema does not know`)
          }
        }
      } else problems.push(`a ${String((child as object).constructor.name)} inside the rich text`)
    }
  }
  walk(doc.getXmlFragment(RICH_TEXT_FIELD), 0)
}

function checkEntries(doc: Y.Doc, users: readonly FuzzUser[], problems: string[]) {
  const named = (id: unknown, name: unknown) => users.some((u) => u.id === id && u.name === name)
  for (const [key, value] of doc.getMap<unknown>(ANNOTATIONS_ROOT).entries()) {
    if (!(value instanceof Y.Map)) {
      problems.push(`annotation ${key} is not a map`)
      continue
    }
    if (!named(value.get('authorId'), value.get('authorName')))
      problems.push(
        `annotation ${key} in the name of nobody it may be: ${JSON.stringify([value.get('authorId'), value.get('authorName')])}`,
      )
  }
}

/**
 * The gate's promises `doc` (a `kind` document as the server holds it) breaks, as sentences; empty
 * when it keeps them all. `rootsBefore` are the roots it held before the run.
 */
export function gateBreaches(
  doc: Y.Doc,
  kind: DocumentKind,
  users: readonly FuzzUser[],
  rootsBefore: readonly string[],
): string[] {
  const problems: string[] = []
  const allowed = new Set([...DOCUMENT_ROOTS[kind].keys(), ...rootsBefore])
  for (const root of filledRoots(doc))
    if (!allowed.has(root)) problems.push(`root ${JSON.stringify(root.slice(0, 40))} appeared`)
  if (DOCUMENT_ROOTS[kind].get(RICH_TEXT_FIELD) === 'xml') checkRichText(doc, problems)
  if (DOCUMENT_ROOTS[kind].has(ANNOTATIONS_ROOT)) checkEntries(doc, users, problems)
  return [...new Set(problems)]
}
