/**
 * Shared suggestions drawn over a read-only text: each change's token span (indexes into
 * `clauseTokens` of its clause) mapped to ProseMirror positions, deletions as struck words on a
 * hatched background, insertions as widgets showing the inserted words underlined, format changes
 * with a dotted outline; all in the party's colour and its pattern, so that neither the kind of a
 * change nor its party rests on colour alone. Each change's strike or outline is an element of
 * its own, so that words several parties struck keep every party's (nested); those words are
 * drawn in one "several parties" look with each party's swatch before them (`overlayOverlaps.ts`).
 * A screen reader hears "[inserted: …]" and "[deleted: …]" as in `TrackedText`.
 */
import { CLAUSE_ID_ATTRIBUTE, CLAUSE_NODE } from '@onetext/shared/clauses'
import type { SharedChange } from '@onetext/shared/statusDoc'
import { type ClauseToken, clauseTokens } from '@onetext/shared/suggestions/tokens'
import { Extension } from '@tiptap/core'
import {
  DOMSerializer,
  type Fragment,
  type Node as PMNode,
  type Schema,
  Slice,
} from '@tiptap/pm/model'
import { Plugin, PluginKey } from '@tiptap/pm/state'
import { Decoration, DecorationSet } from '@tiptap/pm/view'
import { formatMoment } from '../components/dates'
import { changeVerb, formatLook } from './changeLook'
import {
  overlapSegments,
  renderSegmentMarker,
  segmentParties,
  segmentTitle,
} from './overlayOverlaps'
import { screenReaderWords } from './screenReaderWords'

/** How many party patterns there are (the party's index modulo this picks one). */
export const PARTY_PATTERNS = 4

/** One change of a shared suggestion as the overlay draws it, with its party. */
export interface OverlayChange {
  /** Unique on the page: `<suggestionId>/<changeId>`. */
  key: string
  suggestionId: string
  clauseId: string
  partyId: string
  partyName: string
  /** The party's place in the negotiation (orders stacked insertions, picks its pattern). */
  partyIndex: number
  color: string
  change: SharedChange
}

/** Where a change is in the document: a range (delete, format) or a point (insert). */
export interface PlacedChange extends OverlayChange {
  from: number
  to: number
}

interface ClauseAt {
  /** Absolute position of the clause's content start. */
  start: number
  node: PMNode
  tokens: ClauseToken[]
}

/** Every clause of `doc` by id, with the absolute start of its content and its tokens. */
export function clausesById(doc: PMNode): Map<string, ClauseAt> {
  const out = new Map<string, ClauseAt>()
  doc.descendants((node, pos) => {
    if (node.type.name !== CLAUSE_NODE) return true
    const id = String(node.attrs[CLAUSE_ID_ATTRIBUTE] ?? '')
    if (id && !out.has(id)) out.set(id, { start: pos + 1, node, tokens: clauseTokens(node) })
    return true
  })
  return out
}

/**
 * The positions of `change` in `doc` (`clauses` from {@link clausesById}), or null when its clause
 * is not there or its token span is outside the clause's tokens (written against other words).
 * An insertion is placed at the end of the token before its gap, so that words inserted at the end
 * of a paragraph stay in it.
 */
export function placeChange(
  clauses: ReadonlyMap<string, ClauseAt>,
  item: OverlayChange,
): PlacedChange | null {
  const clause = clauses.get(item.clauseId)
  if (!clause) return null
  const { tokens, start } = clause
  const { from, to } = item.change.base
  if (from < 0 || to < from || to > tokens.length) return null
  if (item.change.kind === 'insert') {
    const before = tokens[from - 1]
    const after = tokens[from]
    const at = before ? before.to : after ? after.from : clause.node.content.size
    return { ...item, from: start + at, to: start + at }
  }
  const first = tokens[from]
  const last = tokens[to - 1]
  if (!first || !last) return null
  return { ...item, from: start + first.from, to: start + last.to }
}

/** The changes of `items` placed in `doc`, in reading order (then party order). */
export function placeChanges(doc: PMNode, items: readonly OverlayChange[]): PlacedChange[] {
  const clauses = clausesById(doc)
  return items
    .flatMap((item) => placeChange(clauses, item) ?? [])
    .sort((a, b) => a.from - b.from || a.partyIndex - b.partyIndex || a.to - b.to)
}

/** A change in words, with its party, author and time: what hovering or focusing it shows. */
export function describeChange(item: OverlayChange): string {
  const { change } = item
  const when = change.at > 0 ? `, ${formatMoment(change.at)}` : ''
  return `${item.partyName}, ${change.authorName || 'unknown author'}${when}: ${changeVerb(change)} ‘${change.text.trim()}’`
}

/** The nodes of an insertion's content (its Slice JSON), or null when it cannot be read. */
function insertedContent(schema: Schema, content: unknown): Fragment | null {
  if (content === undefined || content === null) return null
  try {
    return Slice.fromJSON(schema, content as Parameters<typeof Slice.fromJSON>[1]).content
  } catch {
    return null
  }
}

/**
 * The inserted words as inline DOM, formatted as they will land: text blocks after the first
 * start with a pilcrow, a new child clause with a section sign.
 */
function renderInserted(schema: Schema, item: OverlayChange, into: HTMLElement): void {
  const fragment = insertedContent(schema, item.change.content)
  if (!fragment) {
    into.append(item.change.text)
    return
  }
  const serializer = DOMSerializer.fromSchema(schema)
  let blocks = 0
  const walk = (node: PMNode) => {
    if (node.isInline) {
      into.append(serializer.serializeNode(node))
      return
    }
    if (node.type.name === CLAUSE_NODE) {
      into.append(` § ${node.textContent} `)
      return
    }
    if (node.isTextblock) {
      if (blocks > 0) into.append(' ¶ ')
      blocks++
    }
    node.forEach(walk)
  }
  fragment.forEach(walk)
  if (into.textContent === '') into.append(item.change.text)
}

function partyStyle(item: OverlayChange): string {
  return `--party-color: ${item.color}`
}

function classes(item: OverlayChange, kind: string, current: boolean): string {
  return `ovl-${kind} ovl-pattern-${item.partyIndex % PARTY_PATTERNS}${current ? ' ovl-current' : ''}`
}

/** True when two placed changes strike or format some of the same words. */
function overlaps(a: PlacedChange, b: PlacedChange): boolean {
  return a.from < b.to && b.from < a.to
}

/** The attributes of a struck or reformatted change's element (see {@link changeAttrs}). */
export type ChangeAttrs = {
  nodeName: 'span'
  'data-change-key': string
  'data-party': string
  title: string
  class: string
  style: string
  'aria-hidden': 'true'
}

/**
 * The attributes of the element that strikes (`delete`) or outlines (`format`) the words of
 * `item`; `placed` are all the placed changes (those of other parties on some of the same words
 * are named in the title too), `current` the current change's key. The element is a span of its
 * own (`nodeName`): ProseMirror merges the attributes of overlapping inline decorations that name
 * no node into one element, where the last party's colour, pattern and title would hide the
 * others'.
 */
export function changeAttrs(
  item: PlacedChange,
  placed: readonly PlacedChange[],
  current: string | null,
): ChangeAttrs {
  const { kind } = item.change
  const others = placed.filter(
    (other) =>
      other.key !== item.key &&
      other.change.kind !== 'insert' &&
      other.partyId !== item.partyId &&
      overlaps(item, other),
  )
  const title = [describeChange(item), ...others.map((other) => `also ${describeChange(other)}`)]
  return {
    nodeName: 'span',
    'data-change-key': item.key,
    'data-party': item.partyId,
    title: title.join('\n'),
    class: classes(item, kind === 'delete' ? 'del' : 'fmt', item.key === current),
    style: [
      partyStyle(item),
      ...formatLook(item.change).map(([property, value]) => `${property}: ${value}`),
    ].join('; '),
    'aria-hidden': 'true',
  }
}

/** The decorations of words struck by several parties (see `overlayOverlaps.ts`). */
function overlapDecorations(placed: readonly PlacedChange[]): Decoration[] {
  return overlapSegments(placed).flatMap((segment) => {
    const parties = segmentParties(segment).map((item) => item.partyId)
    const key = segment.items.map((item) => item.key).join('+')
    return [
      Decoration.widget(segment.from, () => renderSegmentMarker(segment, PARTY_PATTERNS), {
        side: -2,
        marks: [],
        ignoreSelection: true,
        key: `several-${key}`,
      }),
      Decoration.inline(
        segment.from,
        segment.to,
        {
          nodeName: 'span',
          class: 'ovl-several',
          'data-parties': parties.join(' '),
          title: segmentTitle(segment),
          'aria-hidden': 'true',
        },
        { parties },
      ),
    ]
  })
}

/** The decorations of placed changes; `current` (a change key) is outlined. */
export function overlayDecorations(
  doc: PMNode,
  placed: readonly PlacedChange[],
  current: string | null,
): DecorationSet {
  const schema = doc.type.schema
  const decorations: Decoration[] = []
  for (const item of placed) {
    const isCurrent = item.key === current
    const { kind } = item.change
    if (kind === 'insert') {
      const common = {
        'data-change-key': item.key,
        'data-party': item.partyId,
        title: describeChange(item),
        style: partyStyle(item),
      }
      decorations.push(
        Decoration.widget(
          item.from,
          () => {
            const ins = document.createElement('ins')
            ins.className = classes(item, 'ins', isCurrent)
            for (const [name, value] of Object.entries(common)) ins.setAttribute(name, value)
            ins.append(screenReaderWords(`[inserted by ${item.partyName}:\u00a0`))
            const words = document.createElement('span')
            renderInserted(schema, item, words)
            ins.append(words, screenReaderWords(']'))
            return ins
          },
          {
            side: 10 + item.partyIndex,
            marks: [],
            ignoreSelection: true,
            key: `${item.key}${isCurrent ? ':current' : ''}`,
          },
        ),
      )
      continue
    }
    if (item.to <= item.from) continue
    const label = kind === 'delete' ? 'deleted' : changeVerb(item.change)
    decorations.push(
      Decoration.widget(
        item.from,
        () => screenReaderWords(`[${label} by ${item.partyName}:\u00a0${item.change.text.trim()}]`),
        { side: -1, marks: [], ignoreSelection: true, key: `label-${item.key}` },
      ),
      Decoration.inline(item.from, item.to, changeAttrs(item, placed, current), {
        changeKey: item.key,
      }),
    )
    if (kind === 'delete') {
      // A struck child clause is drawn as a whole, with the same strike.
      doc.nodesBetween(item.from, item.to, (node, pos) => {
        if (node.type.name !== CLAUSE_NODE || pos < item.from || pos + node.nodeSize > item.to)
          return true
        decorations.push(
          Decoration.node(pos, pos + node.nodeSize, {
            class: classes(item, 'del-clause', isCurrent),
            style: partyStyle(item),
          }),
        )
        return false
      })
    }
  }
  decorations.push(...overlapDecorations(placed))
  return DecorationSet.create(doc, decorations)
}

interface OverlayState {
  placed: PlacedChange[]
  current: string | null
  set: DecorationSet
}

/** What a transaction may set (as the plugin's meta): the changes to draw and the current one. */
export interface OverlayUpdate {
  changes?: readonly OverlayChange[]
  current?: string | null
}

/** The overlay plugin's key: `getState` answers the placed changes and the current one. */
export const suggestionOverlayKey = new PluginKey<OverlayState>('suggestionOverlay')

/**
 * The overlay as an editor extension; changes and the current change are set with a transaction
 * carrying an {@link OverlayUpdate} under {@link suggestionOverlayKey} (none at first).
 */
export const SuggestionOverlayExtension = Extension.create({
  name: 'suggestionOverlay',
  addProseMirrorPlugins() {
    return [
      new Plugin<OverlayState>({
        key: suggestionOverlayKey,
        state: {
          init: () => ({ placed: [], current: null, set: DecorationSet.empty }),
          apply: (transaction, value, _old, state) => {
            const update = transaction.getMeta(suggestionOverlayKey) as OverlayUpdate | undefined
            if (!update)
              return transaction.docChanged
                ? { ...value, set: value.set.map(transaction.mapping, state.doc) }
                : value
            const placed = update.changes ? placeChanges(state.doc, update.changes) : value.placed
            const current = update.current === undefined ? value.current : update.current
            return { placed, current, set: overlayDecorations(state.doc, placed, current) }
          },
        },
        props: {
          decorations: (state) => suggestionOverlayKey.getState(state)?.set ?? DecorationSet.empty,
        },
      }),
    ]
  },
})
