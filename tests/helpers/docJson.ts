/** ProseMirror JSON builders for tests of the shared schema's documents (the clause tree). */
import type { JSONContent } from '@tiptap/core'

/** The document's title. */
export function title(text: string): JSONContent {
  return { type: 'title', content: [{ type: 'text', text }] }
}

/** A clause with `heading`, its id when given, and its body blocks and child clauses. */
export function clause(
  heading: string,
  clauseId: string | null,
  ...content: JSONContent[]
): JSONContent {
  return {
    type: 'clause',
    attrs: { clauseId },
    content: [
      { type: 'clauseHeading', ...(heading ? { content: [{ type: 'text', text: heading }] } : {}) },
      ...content,
    ],
  }
}

/** A paragraph of `text`. */
export function paragraph(text: string): JSONContent {
  return { type: 'paragraph', content: [{ type: 'text', text }] }
}

/** A document of `content`. */
export function doc(...content: JSONContent[]): JSONContent {
  return { type: 'doc', content }
}

/**
 * A small clause tree at every depth: title, preamble, then article 1 "Wages" (w) holding a
 * paragraph and section 1.1 "Rates" (r), which holds 1.1(a) "Hourly" (h), which holds 1.1(a)(i)
 * "Night" (n); then article 2 "Hours" (o).
 */
export function wagesAndHours(): JSONContent {
  return doc(
    title('Agreement'),
    paragraph('Preamble.'),
    clause(
      'Wages',
      'w',
      paragraph('Wages rise.'),
      clause(
        'Rates',
        'r',
        paragraph('Rates apply.'),
        clause('Hourly', 'h', paragraph('By the hour.'), clause('Night', 'n', paragraph('More.'))),
      ),
    ),
    clause('Hours', 'o', paragraph('Forty a week.')),
  )
}
