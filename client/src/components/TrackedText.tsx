/**
 * Text shown as tracked changes against a base: insertions underlined, deletions struck through,
 * in the proposing party's colour.
 */
import { type WordOp, wordOps } from '@onetext/shared/wordDiff'
import { useMemo } from 'react'

/** Unchanged stretches longer than this are shortened to their ends when condensed. */
const CONDENSE_OVER = 160
const CONDENSE_KEEP = 60

function condense(text: string, first: boolean, last: boolean): string {
  if (text.length <= CONDENSE_OVER) return text
  // Cut at word boundaries so that no word is shown in part.
  const head = first ? '' : text.slice(0, CONDENSE_KEEP).replace(/\S*$/, '')
  const tail = last ? '' : text.slice(-CONDENSE_KEEP).replace(/^\S*/, '')
  return `${head}… ${tail}`
}

/**
 * Operations as inline tracked changes. With `condensed`, long unchanged stretches are shortened
 * to a few words around each change, so that the changes of a long clause fit a narrow column.
 */
export function TrackedOps({
  ops,
  color,
  condensed = false,
}: {
  ops: readonly WordOp[]
  color: string
  condensed?: boolean
}) {
  return (
    <>
      {ops.map(([kind, raw], index) => {
        const text =
          condensed && kind === '=' ? condense(raw, index === 0, index === ops.length - 1) : raw
        const key = `${index}-${kind}`
        if (kind === '+') {
          return (
            <ins key={key} className="tracked-ins" style={{ color, textDecorationColor: color }}>
              {text}
            </ins>
          )
        }
        if (kind === '-') {
          return (
            <del key={key} className="tracked-del" style={{ color, textDecorationColor: color }}>
              {text}
            </del>
          )
        }
        return <span key={key}>{text}</span>
      })}
    </>
  )
}

export function TrackedText({
  base,
  text,
  color,
  condensed = false,
}: {
  base: string
  text: string
  color: string
  condensed?: boolean
}) {
  const ops = useMemo(() => wordOps(base, text), [base, text])
  return (
    <span className="tracked-text">
      <TrackedOps ops={ops} color={color} condensed={condensed} />
    </span>
  )
}
