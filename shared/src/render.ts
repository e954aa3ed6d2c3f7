/**
 * Renders ProseMirror JSON of the shared schema to Markdown and to HTML, for iterations, exports
 * and the read-only views. Clause numbers are added to headings as the clause model computes them.
 */
import type { JSONContent } from '@tiptap/core'
import { ClauseNumberer } from './clauses'
import { flattenSegments } from './segments'

function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')
}

/** A heading level from 1 to 6 (2, an article, for anything else). */
function headingLevel(value: unknown): number {
  const level = Number(value ?? 2)
  return Number.isInteger(level) && level >= 1 && level <= 6 ? level : 2
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

function blockHtml(block: JSONContent, numberer: ClauseNumberer): string {
  switch (block.type) {
    case 'heading': {
      const level = headingLevel(block.attrs?.level)
      const number = numberer.next(level)
      const id = block.attrs?.clauseId
        ? ` data-clause-id="${escapeHtml(String(block.attrs.clauseId))}"`
        : ''
      const prefix = number ? `<span class="clause-number">${number}.</span> ` : ''
      return `<h${level}${id}>${prefix}${inlineHtml(block.content)}</h${level}>`
    }
    case 'bulletList':
    case 'orderedList': {
      const tag = block.type === 'bulletList' ? 'ul' : 'ol'
      const first = listStart(block.attrs?.start)
      const start = block.type === 'orderedList' && first !== 1 ? ` start="${first}"` : ''
      const items = (block.content ?? [])
        .map(
          (item) =>
            `<li>${(item.content ?? []).map((child) => blockHtml(child, numberer)).join('')}</li>`,
        )
        .join('')
      return `<${tag}${start}>${items}</${tag}>`
    }
    case 'blockquote':
      return `<blockquote>${(block.content ?? []).map((child) => blockHtml(child, numberer)).join('')}</blockquote>`
    case 'horizontalRule':
      return '<hr>'
    default:
      return `<p>${inlineHtml(block.content)}</p>`
  }
}

/** HTML of a document body (no <html> wrapper), headings numbered; segments leave no trace. */
export function docToHtml(doc: JSONContent): string {
  const numberer = new ClauseNumberer()
  return flattenSegments(doc)
    .map((block) => blockHtml(block, numberer))
    .join('\n')
}

function blockMarkdown(block: JSONContent, numberer: ClauseNumberer): string {
  switch (block.type) {
    case 'heading': {
      const level = Number(block.attrs?.level ?? 2)
      const number = numberer.next(level)
      return `${'#'.repeat(level)} ${number ? `${number}. ` : ''}${inlineMarkdown(block.content)}`
    }
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

/** Markdown of a document, headings numbered (the form `markdownToDoc` reads back). */
export function docToMarkdown(doc: JSONContent): string {
  const numberer = new ClauseNumberer()
  return `${flattenSegments(doc)
    .map((block) => blockMarkdown(block, numberer))
    .join('\n\n')}\n`
}
