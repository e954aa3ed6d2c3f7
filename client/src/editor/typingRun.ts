/**
 * The inserted words being typed in suggesting mode. ProseMirror draws a text node wrapped in an
 * inline decoration again whenever the browser types into it (its view marks such a node
 * `NODE_DIRTY`), and then has to put the selection back, which forces a layout: on a long copy that
 * costs a keystroke more than the rest of the edit. So while a burst of typing lasts, the insertion
 * the caret is in is shown without its wrapper: the browser types into a plain text node, as in the
 * working draft, and the words keep their look through a CSS highlight of their range
 * (`::highlight(sugg-typing)`, styles.css), which wraps nothing. Its first character is a text
 * node of its own (an inline decoration without attributes), so that the node typed in is not next
 * to the widgets before the run: ProseMirror also draws again the widgets that touch the text node
 * the browser typed into. The words a screen reader hears
 * around the change ("[inserted: …]") are widgets of their own and stay. Once the typing pauses the
 * wrapper, with its author and time, comes back (suggestionMarks.ts).
 */
import type { Node as ProseMirrorNode } from '@tiptap/pm/model'
import { Decoration, type DecorationSet, type EditorView } from '@tiptap/pm/view'
import type { ChangeSpec } from './suggestionDecorations'
import type { ChangedRange } from './suggestionTracker'

/** The insertion left without its wrapper while it is typed in. */
export interface TypingRun {
  /** Where the caret was after the last edit (mapped over the edits of others since). */
  at: number
  /** The inline decoration of the insertion, as in the tracker's set (left out of what is shown). */
  decoration: Decoration
}

/** The name of the CSS highlight that shows the words being typed as inserted ones. */
export const TYPING_HIGHLIGHT = 'sugg-typing'

/** The inline decoration of an inserted run that holds position `at` (its ends included), if any. */
export function insertionAt(decorations: DecorationSet, at: number): Decoration | null {
  const found = decorations.find(at, at, (spec: Partial<ChangeSpec>) => spec.kind === 'insert')
  return found.find((decoration) => decoration.from < decoration.to) ?? null
}

/**
 * `decorations` as shown while `run` is typed in: without the run's wrapper, its first character a
 * text node of its own.
 */
export function withoutWrapper(
  decorations: DecorationSet,
  run: TypingRun,
  doc: ProseMirrorNode,
): DecorationSet {
  const { from, to } = run.decoration
  const rest = decorations.remove([run.decoration])
  return to - from > 1 ? rest.add(doc, [Decoration.inline(from, from + 1, {})]) : rest
}

/**
 * `pos` after an edit that changed `range` (null: nothing changed): null when the edit replaced the
 * text around it.
 */
export function mapOverRange(pos: number, range: ChangedRange | null): number | null {
  if (range === null || pos <= range.from) return pos
  if (pos >= range.toBefore) return pos - range.toBefore + range.toAfter
  return null
}

/** What this module uses of the page's highlight registry. */
interface Highlights {
  set(name: string, highlight: unknown): void
  delete(name: string): void
}

/** The page's highlight registry, where the browser has one (the CSS Custom Highlight API). */
function highlightRegistry(): Highlights | null {
  const css = (globalThis as unknown as { CSS?: { highlights?: Highlights } }).CSS
  return css?.highlights && typeof globalThis.Highlight === 'function' ? css.highlights : null
}

/** True when the browser can show a typing run without its wrapper (it has CSS highlights). */
export function canHighlightTyping(): boolean {
  return highlightRegistry() !== null
}

/**
 * A DOM position at the end of a text node, moved to just after that node in its parent: a live
 * range that ends there takes in what the browser types at the end of the text without being moved
 * (a boundary inside the text, at its end, stays before what is inserted there).
 */
function afterText(position: { node: Node; offset: number }): { node: Node; offset: number } {
  const { node, offset } = position
  const parent = node.parentNode
  if (node.nodeType !== Node.TEXT_NODE || offset !== (node as Text).length || !parent)
    return position
  return { node: parent, offset: Array.prototype.indexOf.call(parent.childNodes, node) + 1 }
}

/**
 * Shows the words of the run being typed in one editor view as inserted ones, through the
 * {@link TYPING_HIGHLIGHT} highlight: one live range, moved only when the run's ends moved in the
 * DOM (registering a highlight again costs about a millisecond), and ending after the text node
 * typed in rather than inside it, so that typing on at its end moves neither end: moving an end
 * makes the browser rebuild its highlight markers and paint again, on every keystroke.
 */
export class TypingHighlight {
  private readonly range: Range | null = null
  private registered = false

  constructor(private readonly view: EditorView) {
    if (highlightRegistry()) this.range = document.createRange()
  }

  /** Shows `run`'s words, or nothing when `run` is null (its ends taken from the view's DOM). */
  paint(run: TypingRun | null): void {
    const registry = highlightRegistry()
    const range = this.range
    if (!registry || !range) return
    if (run === null) {
      this.clear()
      return
    }
    const size = this.view.state.doc.content.size
    const from = this.view.domAtPos(Math.min(run.decoration.from, size), 1)
    const to = afterText(this.view.domAtPos(Math.min(run.decoration.to, size), -1))
    if (
      this.registered &&
      range.startContainer === from.node &&
      range.startOffset === from.offset &&
      range.endContainer === to.node &&
      range.endOffset === to.offset
    )
      return
    try {
      range.setStart(from.node, from.offset)
      range.setEnd(to.node, to.offset)
    } catch {
      this.clear()
      return
    }
    if (!this.registered) registry.set(TYPING_HIGHLIGHT, new Highlight(range))
    this.registered = true
  }

  /** Shows nothing. */
  clear(): void {
    if (this.registered) highlightRegistry()?.delete(TYPING_HIGHLIGHT)
    this.registered = false
  }
}
