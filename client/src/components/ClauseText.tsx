/**
 * A clause body shown read-only. Clause text is plain text with one line per block, list items
 * starting with "- " or "1. " (shared/src/clauses.ts); this renders it as the paragraphs and lists
 * it came from, so that a local table reads the national text as it was drafted.
 */
import { clauseBlocks } from './clauseBlocks'

export function ClauseText({ text }: { text: string }) {
  return (
    <div className="clause-text">
      {clauseBlocks(text).map((block, index) => {
        // Blocks have no identity beyond their place in the clause.
        const key = `${block.kind}-${index}`
        if (block.kind === 'paragraph') return <p key={key}>{block.text}</p>
        const items = block.items.map((item, itemIndex) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: an item is its place in the list
          <li key={itemIndex}>{item}</li>
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
