/**
 * Text shown as tracked changes against a base: insertions underlined, deletions struck through,
 * in the proposing party's colour.
 */
import { type WordOp, wordOps } from '@onetext/shared/wordDiff'
import { Fragment, useMemo } from 'react'
import { BlockList } from './BlockList'
import { type DiffSide, trackedBlocks } from './clauseBlocks'

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
 * A change's text as the spaces before its words, its words, and the spaces after: the spaces stay
 * outside the mark, so that the strike or underline covers words only and a screen reader hears
 * "[deleted: each year] for", not "[deleted: each year ]for". A change of spaces alone stays whole.
 */
function spacedWords(text: string): [string, string, string] {
  // Slices, not a regular expression: a long run of spaces between words would make one backtrack
  // for seconds, on every render of every reader of the text.
  const words = text.trim()
  if (words === '') return ['', text, '']
  const before = text.length - text.trimStart().length
  const after = text.length - text.trimEnd().length
  return [text.slice(0, before), words, text.slice(text.length - after)]
}

/**
 * Operations as inline tracked changes. With `condensed`, long unchanged stretches are shortened
 * to a few words around each change, so that the changes of a long clause fit a narrow column.
 */
function TrackedOps({
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
        if (kind === '+' || kind === '-') {
          const [before, words, after] = spacedWords(text)
          const Mark = kind === '+' ? 'ins' : 'del'
          return (
            <Fragment key={key}>
              {before}
              <Mark
                className={kind === '+' ? 'tracked-ins' : 'tracked-del'}
                style={{ color, textDecorationColor: color }}
              >
                {/* Most screen readers do not announce <ins> and <del>: the words say it. The
                    space after the colon is a no-break space: an ordinary one at the end of the
                    hidden span is dropped from the accessibility tree ("[inserted:four]"). */}
                <span className="visually-hidden">
                  {kind === '+' ? '[inserted:' : '[deleted:'}
                  {'\u00a0'}
                </span>
                {words}
                <span className="visually-hidden">]</span>
              </Mark>
              {after}
            </Fragment>
          )
        }
        return <span key={key}>{text}</span>
      })}
    </>
  )
}

/** True for an unchanged line that condensing shortens to an ellipsis. */
function elidable(line: readonly WordOp[]): boolean {
  return (
    line.every(([kind]) => kind === '=') &&
    line.reduce((length, [, text]) => length + text.length, 0) > CONDENSE_OVER
  )
}

/**
 * A word diff of two clause texts as the clause's paragraphs and lists, each line with its tracked
 * changes (see `trackedBlocks`). `side` is the text whose lines and list markers give the
 * structure: `after` for a redline or the new column, `before` for the old column.
 */
export function TrackedBlocks({
  ops,
  color,
  condensed = false,
  side = 'after',
  className,
}: {
  ops: readonly WordOp[]
  color: string
  condensed?: boolean
  side?: DiffSide
  className?: string
}) {
  const blocks = useMemo(() => trackedBlocks(ops, side), [ops, side])
  return (
    <BlockList
      blocks={blocks}
      className={`clause-text tracked-text${className ? ` ${className}` : ''}`}
      line={(lineOps) => <TrackedOps ops={lineOps} color={color} condensed={condensed} />}
      paragraph={(text, index) => {
        if (!condensed || !elidable(text)) return undefined
        // A run of long unchanged paragraphs is one ellipsis.
        const previous = blocks[index - 1]
        if (previous?.kind === 'paragraph' && elidable(previous.text)) return null
        return <p className="elided">…</p>
      }}
    />
  )
}

/** `text` as tracked changes against `base`, in the clause's paragraphs and lists. */
export function TrackedText({
  base,
  text,
  color,
  condensed = false,
  className,
}: {
  base: string
  text: string
  color: string
  condensed?: boolean
  className?: string
}) {
  const ops = useMemo(() => wordOps(base, text), [base, text])
  return <TrackedBlocks ops={ops} color={color} condensed={condensed} className={className} />
}
