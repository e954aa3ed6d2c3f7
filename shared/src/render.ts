/**
 * Renders ProseMirror JSON of the shared schema to Markdown and to HTML, for iterations, exports
 * and the read-only views. Each clause's heading is numbered as the clause model numbers it.
 */
import type { JSONContent } from '@tiptap/core'
import {
  CLAUSE_HEADING_NODE,
  clauseIdOf,
  clauseLevel,
  clauseNumber,
  isClause,
  TITLE_NODE,
} from './clauses'

function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')
}

/** An ordered list's first number: a whole number, 1 for anything else. */
function listStart(value: unknown): number {
  const start = Number(value ?? 1)
  return Number.isSafeInteger(start) ? start : 1
}

function inlineHtml(nodes: readonly JSONContent[] | undefined): string {
  return (nodes ?? [])
    .map((node) => {
      if (node.type === 'hardBreak') return '<br>'
      let html = escapeHtml(node.text ?? '')
      for (const mark of node.marks ?? []) {
        if (mark.type === 'bold') html = `<strong>${html}</strong>`
        else if (mark.type === 'italic') html = `<em>${html}</em>`
        else if (mark.type === 'underline') html = `<u>${html}</u>`
        else if (mark.type === 'strike') html = `<s>${html}</s>`
        else if (mark.type === 'code') html = `<code>${html}</code>`
      }
      return html
    })
    .join('')
}

function inlineMarkdown(nodes: readonly JSONContent[] | undefined): string {
  return (nodes ?? [])
    .map((node) => {
      if (node.type === 'hardBreak') return '  \n'
      let text = node.text ?? ''
      const marks = new Set((node.marks ?? []).map((mark) => mark.type))
      if (marks.has('italic')) text = `*${text}*`
      if (marks.has('bold')) text = `**${text}**`
      return text
    })
    .join('')
}

function blockHtml(block: JSONContent): string {
  switch (block.type) {
    case 'bulletList':
    case 'orderedList': {
      const tag = block.type === 'bulletList' ? 'ul' : 'ol'
      const first = listStart(block.attrs?.start)
      const start = block.type === 'orderedList' && first !== 1 ? ` start="${first}"` : ''
      const items = (block.content ?? [])
        .map((item) => `<li>${(item.content ?? []).map(blockHtml).join('')}</li>`)
        .join('')
      return `<${tag}${start}>${items}</${tag}>`
    }
    case 'blockquote':
      return `<blockquote>${(block.content ?? []).map(blockHtml).join('')}</blockquote>`
    case 'horizontalRule':
      return '<hr>'
    default:
      return `<p>${inlineHtml(block.content)}</p>`
  }
}

/** The heading tag of a clause at `depth`: h2 for an article, down to h6. */
function headingTag(depth: number): string {
  return `h${Math.min(6, clauseLevel(depth))}`
}

function clauseHtml(node: JSONContent, number: string | null, depth: number): string {
  const id = clauseIdOf(node)
  const tag = headingTag(depth)
  const prefix = number ? `<span class="clause-number">${number}.</span> ` : ''
  const parts: string[] = []
  let index = 0
  for (const child of node.content ?? []) {
    if (child.type === CLAUSE_HEADING_NODE)
      parts.push(`<${tag}>${prefix}${inlineHtml(child.content)}</${tag}>`)
    else if (isClause(child))
      parts.push(clauseHtml(child, clauseNumber(number, depth + 1, index++), depth + 1))
    else parts.push(blockHtml(child))
  }
  const idAttribute = id ? ` data-clause-id="${escapeHtml(id)}"` : ''
  return `<section class="clause"${idAttribute}>\n${parts.join('\n')}\n</section>`
}

/** HTML of a document body (no <html> wrapper): each clause a section, its heading numbered. */
export function docToHtml(doc: JSONContent): string {
  let index = 0
  return (doc.content ?? [])
    .map((node) => {
      if (node.type === TITLE_NODE) return `<h1>${inlineHtml(node.content)}</h1>`
      if (isClause(node)) return clauseHtml(node, clauseNumber(null, 1, index++), 1)
      return blockHtml(node)
    })
    .join('\n')
}

function blockMarkdown(block: JSONContent): string {
  switch (block.type) {
    case 'bulletList':
    case 'orderedList': {
      const start = Number(block.attrs?.start ?? 1)
      return (block.content ?? [])
        .map((item, index) => {
          const marker = block.type === 'bulletList' ? '-' : `${start + index}.`
          return `${marker} ${(item.content ?? []).map((child) => inlineMarkdown(child.content)).join(' ')}`
        })
        .join('\n')
    }
    case 'horizontalRule':
      return '---'
    default:
      return inlineMarkdown(block.content)
  }
}

function clauseMarkdown(node: JSONContent, number: string, depth: number, parts: string[]): void {
  let index = 0
  for (const child of node.content ?? []) {
    if (child.type === CLAUSE_HEADING_NODE)
      parts.push(
        `${'#'.repeat(Math.min(6, clauseLevel(depth)))} ${number}. ${inlineMarkdown(child.content)}`,
      )
    else if (isClause(child))
      clauseMarkdown(child, clauseNumber(number, depth + 1, index++), depth + 1, parts)
    else parts.push(blockMarkdown(child))
  }
}

/** Markdown of a document, headings numbered (the form `markdownToDoc` reads back). */
export function docToMarkdown(doc: JSONContent): string {
  const parts: string[] = []
  let index = 0
  for (const node of doc.content ?? []) {
    if (node.type === TITLE_NODE) parts.push(`# ${inlineMarkdown(node.content)}`)
    else if (isClause(node)) clauseMarkdown(node, clauseNumber(null, 1, index++), 1, parts)
    else parts.push(blockMarkdown(node))
  }
  return `${parts.join('\n\n')}\n`
}
