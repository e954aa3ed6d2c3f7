/**
 * Comparison and export speed on a 300-clause, 150-page agreement: the clause-aligned diff of two
 * iterations (every tenth clause edited, two moved) and the DOCX and PDF exports, timed in-process
 * over the same code the server runs.
 */

import { diffClauses } from '@onetext/shared/clauseDiff'
import { extractClauses } from '@onetext/shared/clauses'
import type { JSONContent } from '@tiptap/core'
import { documentBlocks } from '../../server/src/export/documentBlocks'
import { blocksToDocx } from '../../server/src/export/docxExport'
import { blocksToPdf } from '../../server/src/export/pdfExport'
import { median, round } from './stats'

/** What the run measured; the JSON object the command prints last. */
export interface ExportsResult {
  clauses: number
  characters: number
  diffMs: number
  docxMs: number
  pdfMs: number
}

const SENTENCE =
  'The parties will jointly select a third-party consultant to assist the Partnership formation and implementation process. '

/** A clause with `clauseId`, `heading` and `content` (body blocks, then child clauses). */
function clause(clauseId: string, heading: string, content: JSONContent[]): JSONContent {
  return {
    type: 'clause',
    attrs: { clauseId },
    content: [{ type: 'clauseHeading', content: [{ type: 'text', text: heading }] }, ...content],
  }
}

/**
 * A document titled "Agreement" of `clauses` sections (clause ids `c-N`, each a paragraph of about
 * `pages * 3000 / clauses` characters) in articles of 10 (clause ids `a-N`, no body of their own).
 * With `edit`, every tenth section's words change and two sections far apart trade places.
 */
export function syntheticAgreement(clauses: number, pages: number, edit = false): JSONContent {
  const perClause = Math.ceil((pages * 3000) / clauses)
  const body = SENTENCE.repeat(Math.ceil(perClause / SENTENCE.length)).slice(0, perClause)
  const order = Array.from({ length: clauses }, (_, index) => index)
  const far = clauses - 5
  if (edit && far > 5) [order[5], order[far]] = [order[far] as number, order[5] as number]
  const sections = order.map((index) => {
    const text =
      edit && index % 10 === 3 ? body.replace('jointly select', 'select by consensus') : body
    return clause(`c-${index}`, `Section ${index}`, [
      { type: 'paragraph', content: [{ type: 'text', text }] },
    ])
  })
  const articles: JSONContent[] = []
  for (let first = 0; first < sections.length; first += 10) {
    const article = first / 10
    articles.push(
      clause(`a-${article}`, `Article ${article + 1}`, sections.slice(first, first + 10)),
    )
  }
  return {
    type: 'doc',
    content: [{ type: 'title', content: [{ type: 'text', text: 'Agreement' }] }, ...articles],
  }
}

async function time(runs: number, action: () => unknown): Promise<number> {
  const samples: number[] = []
  for (let run = 0; run < runs; run++) {
    const started = performance.now()
    await action()
    samples.push(performance.now() - started)
  }
  return round(median(samples), 1)
}

/** Runs the benchmark (`runs` timings each, median reported). */
export async function exportsBench(
  options: { clauses?: number; pages?: number; runs?: number } = {},
): Promise<ExportsResult> {
  const clauses = options.clauses ?? 300
  const pages = options.pages ?? 150
  const runs = options.runs ?? 5
  const before = syntheticAgreement(clauses, pages)
  const after = syntheticAgreement(clauses, pages, true)
  const fromClauses = extractClauses(before)
  const toClauses = extractClauses(after)
  const blocks = documentBlocks(after)
  return {
    clauses: toClauses.length,
    characters: toClauses.reduce((sum, clause) => sum + clause.text.length, 0),
    diffMs: await time(runs, () => diffClauses(fromClauses, toClauses)),
    docxMs: await time(runs, () => blocksToDocx('Agreement', blocks)),
    pdfMs: await time(runs, () => blocksToPdf('Agreement', blocks)),
  }
}
