/**
 * The clause-tree migration of stored rich text. A document stored by release 0.1.0 holds a flat
 * run of `heading` and block elements, perhaps grouped into `segment` elements; when such a
 * document is loaded, before anyone reads or writes it, its rich text is rewritten once as the
 * clause tree (`legacyToClauseDoc`), in one server transaction that the persistence queue writes
 * like any server edit. Every clause keeps its id, heading and words; annotations, proposals and
 * sign-offs refer to clauses by id and are untouched. A converted document holds no legacy element,
 * so loading it again changes nothing.
 *
 * The conversion is checked before it is written: when the converted clauses do not read as the
 * legacy headings did (id, heading and text, in order), the load fails and nothing is written, so
 * that no editor ever opens a document it would damage.
 */
import { ensureClauseIds, extractClauses, randomClauseId } from '@onetext/shared/clauses'
import {
  isLegacyNode,
  legacyClauseReadings,
  legacyToClauseDoc,
} from '@onetext/shared/legacyDocument'
import { getDocumentSchema, RICH_TEXT_FIELD } from '@onetext/shared/schema'
import type { JSONContent } from '@tiptap/core'
import { prosemirrorToYXmlFragment, yXmlFragmentToProsemirrorJSON } from '@tiptap/y-tiptap'
import * as Y from 'yjs'
import { SERVER_ORIGIN } from '../sync/origins'

/** True when the rich text's top level holds a legacy `heading` or `segment` element. */
export function holdsLegacyRichText(doc: Y.Doc): boolean {
  if (!doc.share.has(RICH_TEXT_FIELD)) return false
  return doc
    .getXmlFragment(RICH_TEXT_FIELD)
    .toArray()
    .some((child) => child instanceof Y.XmlElement && isLegacyNode({ type: child.nodeName }))
}

/** Throws when `converted` does not keep every clause of `legacy` as it read. */
function checkConversion(legacy: JSONContent, converted: JSONContent): void {
  const before = legacyClauseReadings(legacy)
  const after = extractClauses(converted)
  const seen = new Set<string>()
  const problem =
    before.length !== after.length
      ? `${before.length} headings became ${after.length} clauses`
      : before
          .map((reading, index) => {
            const clause = after[index]
            const keepsId = reading.id === null || seen.has(reading.id) || clause?.id === reading.id
            if (reading.id !== null) seen.add(reading.id)
            if (!clause || !keepsId || clause.heading !== reading.heading)
              return `clause ${index + 1} ("${reading.heading.slice(0, 40)}") lost its id or heading`
            if (clause.text !== reading.text)
              return `clause ${index + 1} ("${reading.heading.slice(0, 40)}") changed its words`
            return null
          })
          .find((found) => found !== null)
  if (problem) throw new Error(`the clause-tree migration would change the text: ${problem}`)
}

/**
 * Rewrites a legacy document's rich text as the clause tree, under {@link SERVER_ORIGIN}; returns
 * false, changing nothing, for a document already converted or without rich text. Throws, changing
 * nothing, when the conversion would not keep every clause.
 */
export function migrateToClauseTree(doc: Y.Doc): boolean {
  if (!holdsLegacyRichText(doc)) return false
  const fragment = doc.getXmlFragment(RICH_TEXT_FIELD)
  const legacy = yXmlFragmentToProsemirrorJSON(fragment) as JSONContent
  const converted = legacyToClauseDoc(legacy)
  ensureClauseIds(converted, randomClauseId)
  checkConversion(legacy, converted)
  const node = getDocumentSchema().nodeFromJSON(converted)
  node.check()
  doc.transact(() => {
    fragment.delete(0, fragment.length)
    prosemirrorToYXmlFragment(node, fragment)
  }, SERVER_ORIGIN)
  return true
}
