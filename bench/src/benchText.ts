/**
 * The text the benchmarks write into a working draft: one paragraph of the agreement's style,
 * repeated, in a clause tree shaped like a real agreement (an article every five pages, each
 * divided into sections). Shared by the editor benchmark (`browser`) and the circulation benchmark
 * (`circulate`), so that they measure the same text.
 */
import { CLAUSE_HEADING_NODE, CLAUSE_ID_ATTRIBUTE, CLAUSE_NODE } from '@onetext/shared/clauses'
import * as Y from 'yjs'

/** One paragraph (238 characters); 13 of them make about a page. */
export const BENCH_PARAGRAPH =
  'The parties will jointly select a third-party consultant to assist the Partnership formation and implementation process and to continue with such assistance until such time as the partners agree that these services are no longer required. '

/** Characters on a page of contract text. */
export const PAGE_CHARACTERS = 3_000

/** Paragraphs of {@link BENCH_PARAGRAPH} that make a page (13). */
export const PARAGRAPHS_PER_PAGE = Math.ceil(PAGE_CHARACTERS / BENCH_PARAGRAPH.length)

/** Pages under one article. */
const PAGES_PER_ARTICLE = 5

/** Sections an article's paragraphs are divided into (unless the text is flat). */
const SECTIONS_PER_ARTICLE = 3

/** A Yjs element `name` holding one Y.XmlText of `text`. */
function textElement(name: string, text: string): Y.XmlElement {
  const element = new Y.XmlElement(name)
  element.insert(0, [new Y.XmlText(text)])
  return element
}

/** A Yjs clause element: its heading, then `content` (body blocks, then child clauses). */
function clauseElement(clauseId: string, heading: string, content: Y.XmlElement[]): Y.XmlElement {
  const clause = new Y.XmlElement(CLAUSE_NODE)
  clause.setAttribute(CLAUSE_ID_ATTRIBUTE, clauseId)
  clause.insert(0, [textElement(CLAUSE_HEADING_NODE, heading), ...content])
  return clause
}

/** `count` paragraphs of {@link BENCH_PARAGRAPH}. */
function paragraphs(count: number): Y.XmlElement[] {
  return Array.from({ length: count }, () => textElement('paragraph', BENCH_PARAGRAPH))
}

/** The agreement {@link benchAgreement} builds, not yet in a document. */
export interface BenchAgreement {
  /** The top-level clause elements (articles), to insert at the end of a draft's rich text. */
  articles: Y.XmlElement[]
  /** Paragraphs in the articles, {@link PARAGRAPHS_PER_PAGE} a page. */
  paragraphs: number
}

/**
 * `pages` pages of {@link BENCH_PARAGRAPH} as Yjs clause elements: an article ("Article on page
 * N", clause id `bench-N`) every five pages, its paragraphs divided into three sections (clause
 * ids `bench-N-1` to `bench-N-3`) with empty article bodies, so the tree is two deep as an
 * agreement's is. With `flat`, each article holds its paragraphs itself, with no sections. The
 * paragraphs are the same either way.
 */
export function benchAgreement(pages: number, options: { flat?: boolean } = {}): BenchAgreement {
  const articles: Y.XmlElement[] = []
  for (let first = 0; first < pages; first += PAGES_PER_ARTICLE) {
    const count = Math.min(PAGES_PER_ARTICLE, pages - first) * PARAGRAPHS_PER_PAGE
    const id = `bench-${first + 1}`
    const heading = `Article on page ${first + 1}`
    if (options.flat) {
      articles.push(clauseElement(id, heading, paragraphs(count)))
      continue
    }
    const perSection = Math.ceil(count / SECTIONS_PER_ARTICLE)
    const sections: Y.XmlElement[] = []
    for (let made = 0; made < count; made += perSection) {
      const number = sections.length + 1
      const body = paragraphs(Math.min(perSection, count - made))
      sections.push(clauseElement(`${id}-${number}`, `Section ${number}`, body))
    }
    articles.push(clauseElement(id, heading, sections))
  }
  return { articles, paragraphs: pages * PARAGRAPHS_PER_PAGE }
}

/**
 * `pages` pages of {@link BENCH_PARAGRAPH} as Markdown shaped like {@link benchAgreement}'s tree:
 * a `# title`, an article heading (`##`, "Article on page N") every five pages, and under each
 * three section headings (`###`) sharing its paragraphs. What `POST /api/negotiations` imports into
 * a clause tree (the same headings and paragraphs; the clause ids are the server's).
 */
export function benchMarkdown(pages: number, title = 'Bench agreement'): string {
  const lines = [`# ${title}`, '']
  for (let first = 0; first < pages; first += PAGES_PER_ARTICLE) {
    lines.push(`## Article on page ${first + 1}`, '')
    const count = Math.min(PAGES_PER_ARTICLE, pages - first) * PARAGRAPHS_PER_PAGE
    const perSection = Math.ceil(count / SECTIONS_PER_ARTICLE)
    for (let made = 0, number = 1; made < count; made += perSection, number++) {
      lines.push(`### Section ${number}`, '')
      for (let index = 0; index < Math.min(perSection, count - made); index++)
        lines.push(BENCH_PARAGRAPH.trim(), '')
    }
  }
  return lines.join('\n')
}
