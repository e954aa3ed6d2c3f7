/**
 * The clause-tree migration of stored rich text (document format 2, {@link CLAUSE_TREE_FORMAT}). A document
 * stored by release 0.1.0 holds a flat run of `heading` and block elements, perhaps grouped into
 * `segment` elements. At start, before the server listens, every stored rich-text document is
 * loaded once ({@link migrateStoredDocuments}); loading one rewrites its rich text as the clause
 * tree (`legacyToClauseDoc`, {@link migrateToClauseTree}, a load hook) in one server transaction
 * that the persistence queue writes like any server edit; then the store records format 2 and later
 * starts skip the sweep. Every clause keeps its id, heading and words; annotations, suggestions and
 * sign-offs refer to clauses by id and are untouched. A converted document holds no legacy
 * element, so loading it again changes nothing; the load hook stays, so that a document the sweep
 * could not load (another process owned it) is converted by whichever process loads it first.
 *
 * The conversion is checked before it is written: when the converted clauses do not read as the
 * legacy headings did (id, heading and text, in order), the load fails and nothing is written, so
 * that no editor ever opens a document it would damage.
 */
import { ensureClauseIds, extractClauses, randomClauseId } from '@onetext/shared/clauses'
import { parseDocumentName } from '@onetext/shared/documentNames'
import { DOCUMENT_ROOTS } from '@onetext/shared/documentRoots'
import {
  isLegacyNode,
  legacyClauseReadings,
  legacyToClauseDoc,
} from '@onetext/shared/legacyDocument'
import { getDocumentSchema, RICH_TEXT_FIELD } from '@onetext/shared/schema'
import type { JSONContent } from '@tiptap/core'
import { prosemirrorToYXmlFragment, yXmlFragmentToProsemirrorJSON } from '@tiptap/y-tiptap'
import * as Y from 'yjs'
import type { DocumentStore } from '../storage/DocumentStore'
import type { DocumentRegistry } from '../sync/DocumentRegistry'
import { SERVER_ORIGIN } from '../sync/origins'

/** The stored-document format in which rich text is a clause tree (see DocumentStore.ts). */
export const CLAUSE_TREE_FORMAT = 2

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

/** What {@link migrateStoredDocuments} needs of the server. */
export interface StoredDocumentsMigration {
  store: DocumentStore
  /** The registry whose load hook converts a document ({@link migrateToClauseTree}). */
  registry: DocumentRegistry
  /** Resolves once everything queued for the disk has been written. */
  durable: () => Promise<void>
  log: (line: string) => void
}

/**
 * Brings every stored rich-text document to {@link CLAUSE_TREE_FORMAT} by loading each once, unless
 * the store records that it is there already; records it when every document loaded. A document
 * that fails to load (its conversion would change its text, or another process owns it) is named
 * in the log and left as it is (the next start tries again), and the registry then hands out no
 * stored snapshot before a document has loaded, so that none reaches an editor unconverted.
 */
export async function migrateStoredDocuments({
  store,
  registry,
  durable,
  log,
}: StoredDocumentsMigration): Promise<void> {
  if ((await store.documentFormat()) >= CLAUSE_TREE_FORMAT) return
  let failed = 0
  for (const name of (await store.documentNames()).sort()) {
    const ref = parseDocumentName(name)
    if (!ref || DOCUMENT_ROOTS[ref.kind].get(RICH_TEXT_FIELD) !== 'xml') continue
    try {
      await registry.withDocument(name, () => undefined)
    } catch (error) {
      failed++
      log(`${name} was not brought to the clause tree: ${String(error)}`)
    }
  }
  await durable()
  if (failed === 0) await store.setDocumentFormat(CLAUSE_TREE_FORMAT)
  // A document left in the old format must reach no editor before a load converts it.
  else registry.earlySnapshots = false
}
