/**
 * Clause blocks (see `clauseBlocks.ts`) as HTML: paragraphs as `<p>`, bullet lists as `<ul>`,
 * numbered lists as `<ol>` starting at their first number. What a line holds is the caller's:
 * plain text for a clause body (`ClauseText`), tracked changes for a word diff (`TrackedBlocks`).
 */
import { Fragment, type ReactNode } from 'react'
import type { Block } from './clauseBlocks'

export function BlockList<T>({
  blocks,
  className,
  line,
  paragraph,
}: {
  blocks: readonly Block<T>[]
  className: string
  /** A line's content: a paragraph's or a list item's. */
  line: (content: T) => ReactNode
  /**
   * Renders the paragraph at `index` in place of `<p>{line(text)}</p>` when it returns something
   * other than undefined (null leaves the paragraph out).
   */
  paragraph?: (text: T, index: number) => ReactNode | undefined
}) {
  return (
    <div className={className}>
      {blocks.map((block, index) => {
        // Blocks have no identity beyond their place in the clause.
        const key = `${block.kind}-${index}`
        if (block.kind === 'paragraph') {
          const replaced = paragraph?.(block.text, index)
          if (replaced !== undefined) return <Fragment key={key}>{replaced}</Fragment>
          return <p key={key}>{line(block.text)}</p>
        }
        const items = block.items.map((item, itemIndex) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: an item is its place in the list
          <li key={itemIndex}>{line(item)}</li>
        ))
        return block.kind === 'bullets' ? (
          <ul key={key}>{items}</ul>
        ) : (
          <ol key={key} start={block.start}>
            {items}
          </ol>
        )
      })}
    </div>
  )
}
