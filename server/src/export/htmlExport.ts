/**
 * HTML exports: a standalone page for an iteration (its body is `docToHtml`'s: each clause a
 * `<section class="clause" data-clause-id>` nested in its parent's, its heading h2 to h6 by depth),
 * and a blackline with <ins> and <del>.
 */
import type { ClauseDiff } from '@onetext/shared/clauseDiff'

function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')
}

const STYLE = `body{font-family:Georgia,serif;max-width:46rem;margin:2rem auto;line-height:1.5;color:#1c1f24}
ins{color:#1d4ed8;text-decoration:underline}del{color:#b42318;text-decoration:line-through}
.clause-number{color:#555b66}p{white-space:pre-wrap}
section.clause section.clause section.clause{margin-left:1.25rem}`

/** A complete HTML page around `body`. */
export function htmlPage(title: string, body: string): string {
  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head>\n<body>\n${body}\n</body></html>\n`
}

/** The blackline's body: a heading per clause and its words with <ins> and <del>. */
export function blacklineHtml(title: string, clauses: readonly ClauseDiff[]): string {
  const headingLine = (clause: ClauseDiff) => `${clause.heading}\n`
  const body = clauses
    .map((clause) => {
      const words = clause.ops
        .map(([kind, text], index) => {
          const shown =
            index === 0 && kind === '=' && text.startsWith(headingLine(clause))
              ? text.slice(headingLine(clause).length)
              : text
          if (kind === '+') return `<ins>${escapeHtml(shown)}</ins>`
          if (kind === '-') return `<del>${escapeHtml(shown)}</del>`
          return escapeHtml(shown)
        })
        .join('')
      return `<h2><span class="clause-number">${escapeHtml(clause.number)}.</span> ${escapeHtml(clause.heading)}</h2>\n<p>${words}</p>`
    })
    .join('\n')
  return htmlPage(title, `<h1>${escapeHtml(title)}</h1>\n${body}`)
}
