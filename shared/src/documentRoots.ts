/**
 * The roots (top-level shared types) clients may write in each kind of document, and the type each
 * holds. The server refuses a client update that writes anywhere else (docs/SECURITY.md); the
 * status document is written by the server alone, and so are a suggestion copy's other roots.
 */
import { ANNOTATIONS_ROOT } from './annotations'
import type { DocumentKind } from './documentNames'
import { RICH_TEXT_FIELD } from './schema'
import { RATIONALES_ROOT } from './suggestions/copyDoc'

/** The shared type a root holds: rich text (a Y.XmlFragment) or keyed entries (a Y.Map). */
export type RootKind = 'xml' | 'map'

/** Client-writable roots by document kind. */
export const DOCUMENT_ROOTS: Readonly<Record<DocumentKind, ReadonlyMap<string, RootKind>>> = {
  draft: new Map([[RICH_TEXT_FIELD, 'xml']]),
  supplement: new Map([[RICH_TEXT_FIELD, 'xml']]),
  caucus: new Map([
    [RICH_TEXT_FIELD, 'xml'],
    [ANNOTATIONS_ROOT, 'map'],
  ]),
  table: new Map([
    [RICH_TEXT_FIELD, 'xml'],
    [ANNOTATIONS_ROOT, 'map'],
  ]),
  layer: new Map([[ANNOTATIONS_ROOT, 'map']]),
  status: new Map(),
  // The `attribution`, `journal` and `seed` roots are the server's (suggestions/copyDoc.ts).
  suggest: new Map([
    [RICH_TEXT_FIELD, 'xml'],
    [RATIONALES_ROOT, 'map'],
  ]),
}
