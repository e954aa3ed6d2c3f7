/**
 * How one clause's suggested changes look in the editor of a party's copy: inserted words
 * underlined on a tint in the party's colour, deleted words of the iteration as struck words on a
 * hatched background (a widget: they are no longer in the copy), formatting changes in a dotted
 * outline, a "¶" for a paragraph split or join, a bar beside a new sub-clause. The look never
 * relies on colour alone, and each change carries visually hidden words for a screen reader
 * ("[inserted: …]", "[deleted: …]") and its author and time in its title and data attributes.
 */
import type { ChangeAuthor } from '@onetext/shared/suggestions/attribution'
import {
  type ClauseChange,
  type ClauseDiff,
  formatSeenOnSpace,
} from '@onetext/shared/suggestions/diff'
import type { ClauseToken } from '@onetext/shared/suggestions/tokens'
import { Decoration } from '@tiptap/pm/view'
import { screenReaderWords } from './screenReaderWords'

/** Who is looking and in which colour their party's changes show. */
export interface ChangeLook {
  partyId: string
  /** The party's colour (`#rrggbb`). */
  color: string
  /** The viewer's user id: their own changes are "you". */
  userId: string
  /** True when the viewer writes the copy (a member of its party): changes not yet recorded are theirs. */
  writer: boolean
  /** Writes a moment (milliseconds since 1970) for a title. */
  moment: (at: number) => string
}

/** What every decoration of a change carries in its spec, to be found again. */
export interface ChangeSpec {
  clauseId: string
  /** Index of the change in its clause diff's `changes`; -1 for a new top-level clause. */
  change: number
  kind: ClauseChange['kind'] | 'clause'
  /** What the change is, by whom and when ("Inserted by Ann Lee, 3 Dec 2026, 11:42"). */
  title: string
}

/**
 * What a decoration made here shows, kept in its spec (`drawn`): the decorations of a clause
 * compared again replace only those that differ in position or in this, so that ProseMirror finds
 * the others unchanged.
 */
function drawn(what: string, spec: ChangeSpec, look: string): string {
  return JSON.stringify([what, spec.clauseId, spec.change, spec.kind, spec.title, look])
}

/**
 * The spec of a widget showing `spec` on `side` of its place, drawn anew only when `key` (what it
 * shows) changes: no marks, and the selection passes it by.
 */
function widgetSpec(spec: ChangeSpec, side: number, key: string) {
  return {
    ...spec,
    side,
    key,
    marks: [],
    ignoreSelection: true,
    drawn: drawn(`widget${side}`, spec, key),
  }
}

/** A key of what a decoration made here shows and where: two with equal keys draw the same. */
export function decorationKey(decoration: Decoration): string {
  const spec = decoration.spec as { drawn?: string }
  return `${decoration.from}:${decoration.to}:${spec.drawn ?? ''}`
}

/** Token kinds that stand for inline content (a run of them is one stretch of text). */
const INLINE_KINDS: ReadonlySet<string> = new Set(['word', 'space', 'punct', 'break'])

const VERB: Record<ClauseChange['kind'], string> = {
  insert: 'Inserted',
  delete: 'Deleted',
  format: 'Formatting changed',
}

/**
 * The name a change's author shows under: "you" for the viewer's own changes, and, for a member of
 * the party, for changes the server has not recorded yet (only the member's own unsaved edits lack
 * a record: others' arrive with theirs); "someone" when the record does not say.
 */
export function authorName(
  author: ChangeAuthor | null,
  look: Pick<ChangeLook, 'userId' | 'writer'>,
): string {
  if (author === null) return look.writer ? 'you' : 'someone'
  if (author.userId === look.userId) return 'you'
  return author.name || 'someone'
}

/** "Inserted by Ann Lee, 3 Dec 2026, 11:42" (the title of a change). */
export function changeTitle(
  kind: ClauseChange['kind'],
  author: ChangeAuthor | null,
  look: ChangeLook,
  what = '',
): string {
  const by = authorName(author, look)
  const when =
    author === null
      ? look.writer
        ? ' (not saved yet)'
        : ''
      : author.at > 0
        ? `, ${look.moment(author.at)}`
        : ''
  return `${what || VERB[kind]} by ${by}${when}`
}

/** A mark's name from its canonical JSON (`{"type":"bold"}` is "bold"), or the text as it is. */
function markName(key: string): string {
  try {
    const mark = JSON.parse(key) as { type?: unknown }
    return typeof mark.type === 'string' ? mark.type : key
  } catch {
    return key
  }
}

/** "bold added, italic removed" for a format change. */
export function formatWords(change: Pick<ClauseChange, 'marks'>): string {
  const added = (change.marks?.add ?? []).map((key) => `${markName(key)} added`)
  const removed = (change.marks?.remove ?? []).map((key) => `${markName(key)} removed`)
  return [...added, ...removed].join(', ') || 'formatting changed'
}

function attributes(
  kind: string,
  author: ChangeAuthor | null,
  look: ChangeLook,
  title: string,
): Record<string, string> {
  return {
    style: `--sugg-color: ${look.color}`,
    title,
    'data-change': kind,
    'data-party': look.partyId,
    'data-author': authorName(author, look),
    'data-author-id': author?.userId ?? (look.writer ? look.userId : ''),
  }
}

/**
 * A widget's key says all its DOM shows: ProseMirror keeps the DOM of a widget whose key is
 * unchanged, so that typing inside a change redraws nothing beside the caret.
 */
function widgetKey(kind: string, words: string, attrs: Record<string, string> = {}): string {
  return `${kind}:${words}:${JSON.stringify(attrs)}`
}

/** Hidden words for a screen reader, as a widget (`side` places it around the caret). */
function hiddenWords(pos: number, words: string, side: number, spec: ChangeSpec) {
  const key = widgetKey(`words${side}`, words)
  return Decoration.widget(pos, () => screenReaderWords(words), widgetSpec(spec, side, key))
}

/**
 * The runs of inline tokens of `tokens[from, to)`, as position ranges relative to the clause's
 * content; with `words`, without the spaces at either end of a run (a run of spaces is none).
 */
function inlineRuns(
  tokens: readonly ClauseToken[],
  from: number,
  to: number,
  words = false,
): Array<[number, number]> {
  const runs: Array<[number, number]> = []
  let start = -1
  let end = -1
  // Where the last inline token ended: a token starting elsewhere starts a new run.
  let reach = -1
  const close = () => {
    if (start >= 0 && end > start) runs.push([start, end])
    start = -1
    end = -1
  }
  for (let index = from; index < to; index++) {
    const token = tokens[index] as ClauseToken
    if (!INLINE_KINDS.has(token.kind) || token.to <= token.from) continue
    if (token.from !== reach) close()
    reach = token.to
    if (words && token.kind === 'space') continue
    if (start < 0) start = token.from
    end = token.to
  }
  close()
  return runs
}

/**
 * Where the words deleted before copy token `index` are shown (relative to the clause's content):
 * at the end of the text before the gap when there is some, else at the start of the text after
 * it, else inside the block after it.
 */
export function gapPosition(tokens: readonly ClauseToken[], index: number): number {
  const before = tokens[index - 1]
  const after = tokens[index]
  if (before && INLINE_KINDS.has(before.kind)) return before.to
  if (after && INLINE_KINDS.has(after.kind)) return after.from
  if (after && (after.kind === 'block' || after.kind === 'heading')) return after.from + 1
  if (before && (before.kind === 'block' || before.kind === 'heading')) return before.to
  if (after) return after.from
  return before ? before.to : 0
}

/** The words a deletion shows: its text, "¶" for a join of paragraphs. */
function deletedWords(change: ClauseChange, base: readonly ClauseToken[]): string {
  const tokens = base.slice(change.base.from, change.base.to)
  if (change.text.trim() !== '') return change.text
  return tokens.some((token) => token.kind === 'block') ? '¶' : change.text
}

function deletionWidget(
  pos: number,
  words: string,
  clauseGone: boolean,
  attrs: Record<string, string>,
  spec: ChangeSpec,
) {
  const key = widgetKey(clauseGone ? 'del-clause' : 'del', words, attrs)
  return Decoration.widget(
    pos,
    () => {
      // The spaces around the words stay outside the strike, so that it covers words only.
      const struck = words.trim() || words
      const before = words.slice(0, words.length - words.trimStart().length)
      const after = words.slice(words.trimEnd().length)
      const del = document.createElement('del')
      del.className = clauseGone ? 'sugg-del sugg-del-clause' : 'sugg-del'
      for (const [name, value] of Object.entries(attrs)) del.setAttribute(name, value)
      // A no-break space: an ordinary one at the end of a hidden span is dropped ("[deleted:four]").
      const open = screenReaderWords(clauseGone ? '[deleted sub-clause:\u00a0' : '[deleted:\u00a0')
      const close = screenReaderWords(']')
      del.append(open, struck, close)
      if (clauseGone || (before === '' && after === '')) return del
      const wrapper = document.createElement('span')
      wrapper.append(before, del, after)
      return wrapper
    },
    widgetSpec(spec, -1, key),
  )
}

/**
 * The decorations of one clause's changes: `pos` is the position just before the clause node in
 * the copy, `authors` the author of each change of `diff` (null when not recorded yet).
 */
export function clauseChangeDecorations(
  pos: number,
  diff: ClauseDiff,
  authors: ReadonlyArray<ChangeAuthor | null>,
  look: ChangeLook,
): Decoration[] {
  const start = pos + 1
  const found: Decoration[] = []
  diff.changes.forEach((change, index) => {
    const author = authors[index] ?? null
    if (change.kind === 'delete') {
      const base = diff.baseTokens.slice(change.base.from, change.base.to)
      const clauseGone = base.some((token) => token.kind === 'clause')
      const words = deletedWords(change, diff.baseTokens)
      const title = `${changeTitle('delete', author, look, clauseGone ? 'Sub-clause deleted' : '')}: “${words.trim()}”`
      const spec: ChangeSpec = { clauseId: diff.clauseId, change: index, kind: 'delete', title }
      found.push(
        deletionWidget(
          start + gapPosition(diff.copyTokens, change.copy.from),
          words,
          clauseGone,
          attributes('delete', author, look, title),
          spec,
        ),
      )
      return
    }
    const isFormat = change.kind === 'format'
    const what = isFormat ? formatWords(change) : ''
    const title = changeTitle(
      change.kind,
      author,
      look,
      what && `${what[0]?.toUpperCase()}${what.slice(1)}`,
    )
    const spec: ChangeSpec = { clauseId: diff.clauseId, change: index, kind: change.kind, title }
    const attrs = attributes(change.kind, author, look, title)
    const className = isFormat ? 'sugg-fmt' : 'sugg-ins'
    // Bold or italic shows on words only: the outline leaves out the spaces around them.
    const words = isFormat && !formatSeenOnSpace(change)
    const runs = inlineRuns(diff.copyTokens, change.copy.from, change.copy.to, words)
    for (const [from, to] of runs) {
      const inline = { ...attrs, class: className }
      found.push(
        Decoration.inline(start + from, start + to, inline, {
          ...spec,
          // Words typed at the end of inserted words are inserted too (suggestionTracker.ts).
          inclusiveEnd: !isFormat,
          drawn: drawn('inline', spec, JSON.stringify(inline)),
        }),
      )
      const opening = isFormat ? `[formatted, ${what}:\u00a0` : '[inserted:\u00a0'
      found.push(hiddenWords(start + from, opening, -1, spec))
      found.push(hiddenWords(start + to, ']', 1, spec))
    }
    if (isFormat) return
    for (let index = change.copy.from; index < change.copy.to; index++) {
      const token = diff.copyTokens[index] as ClauseToken
      if (token.kind === 'block') {
        found.push(splitWidget(start + gapPosition(diff.copyTokens, index), attrs, spec))
      } else if (token.kind === 'clause') {
        const added = changeTitle('insert', author, look, 'Sub-clause added')
        found.push(
          ...newClauseDecorations(
            start + token.from,
            start + token.to,
            { ...attrs, title: added },
            { ...spec, kind: 'clause', title: added },
          ),
        )
      }
    }
  })
  return found
}

function splitWidget(pos: number, attrs: Record<string, string>, spec: ChangeSpec) {
  const key = widgetKey('split', '', attrs)
  return Decoration.widget(
    pos,
    () => {
      const mark = document.createElement('ins')
      mark.className = 'sugg-split'
      for (const [name, value] of Object.entries(attrs)) mark.setAttribute(name, value)
      mark.setAttribute(
        'title',
        attrs.title?.replace(/^Inserted/, 'Paragraph break inserted') ?? '',
      )
      const words = screenReaderWords('[inserted: paragraph break]')
      const sign = document.createElement('span')
      sign.setAttribute('aria-hidden', 'true')
      sign.textContent = '¶'
      mark.append(words, sign)
      return mark
    },
    widgetSpec(spec, -1, key),
  )
}

/**
 * A new sub-clause, from `from` (before its node) to `to` (after it): a bar in the party's colour
 * beside it, and hidden words at the start of its heading.
 */
export function newClauseDecorations(
  from: number,
  to: number,
  attrs: Record<string, string>,
  spec: ChangeSpec,
): Decoration[] {
  return [
    Decoration.node(
      from,
      to,
      { ...attrs, class: 'sugg-new-clause' },
      { ...spec, drawn: drawn('node', spec, JSON.stringify(attrs)) },
    ),
    hiddenWords(from + 2, '[inserted sub-clause]\u00a0', -1, spec),
  ]
}
