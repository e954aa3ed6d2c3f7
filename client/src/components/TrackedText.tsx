/**
 * Text shown as tracked changes against a base: insertions underlined, deletions struck through,
 * in the proposing party's colour.
 */
import { type WordOp, wordOps } from '@onetext/shared/wordDiff'
import { useMemo } from 'react'

export function TrackedOps({ ops, color }: { ops: readonly WordOp[]; color: string }) {
  return (
    <>
      {ops.map(([kind, text], index) => {
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

export function TrackedText({ base, text, color }: { base: string; text: string; color: string }) {
  const ops = useMemo(() => wordOps(base, text), [base, text])
  return (
    <span className="tracked-text">
      <TrackedOps ops={ops} color={color} />
    </span>
  )
}
