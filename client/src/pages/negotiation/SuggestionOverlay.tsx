/**
 * The table's view of shared suggestions: a read-only editor on an iteration's text with every
 * shown party's open changes drawn in place (see `overlayDecorations.ts`), one toggle per party,
 * "Previous change" and "Next change" (the selection moves to the change, the page scrolls to it,
 * and a live region announces "Change 3 of 12: Union, J. Doe, deleted ‘each year’"), and the
 * current change's author, time and party in words.
 */
import { createSchemaExtensions } from '@onetext/shared/schema'
import type { JSONContent } from '@tiptap/core'
import { TextSelection } from '@tiptap/pm/state'
import { EditorContent, useEditor } from '@tiptap/react'
import { type CSSProperties, useEffect, useMemo, useState } from 'react'
import { ClauseStructure } from '../../editor/ClauseStructure'
import { changeVerb } from '../../editor/changeLook'
import {
  describeChange,
  type OverlayChange,
  type OverlayUpdate,
  PARTY_PATTERNS,
  type PlacedChange,
  SuggestionOverlayExtension,
  suggestionOverlayKey,
} from '../../editor/overlayDecorations'

/** How far below a narrow column's clause heading its first change is scrolled to (about a line). */
const COLUMN_LEAD_PX = 24

/** A party as the overlay's toggles show it. */
export interface OverlayParty {
  id: string
  name: string
  color: string
  /** Its place in the negotiation (picks its pattern). */
  index: number
}

/** The words a screen reader hears when the overlay moves to a change. */
export function announceChange(item: OverlayChange, index: number, total: number): string {
  const author = item.change.authorName || 'unknown author'
  return `Change ${index + 1} of ${total}: ${item.partyName}, ${author}, ${changeVerb(item.change)} ‘${item.change.text.trim()}’`
}

/** The swatch of a party: its colour and its pattern. */
export function PartySwatch({ party }: { party: Pick<OverlayParty, 'color' | 'index'> }) {
  return (
    <span
      className={`party-swatch ovl-pattern-${party.index % PARTY_PATTERNS}`}
      style={{ '--party-color': party.color } as CSSProperties}
      aria-hidden="true"
    />
  )
}

/**
 * `doc` (an iteration's ProseMirror JSON, or a part of it holding whole clauses) with `changes`
 * drawn over it. `toolbar` false draws every change with no controls (a narrow column);
 * `numbered` numbers the clauses as the iteration does (only for a whole text).
 */
export function SuggestionOverlay({
  doc,
  changes,
  parties,
  label,
  toolbar = true,
  numbered = true,
  onCurrent,
}: {
  doc: JSONContent
  changes: readonly OverlayChange[]
  parties: readonly OverlayParty[]
  /** The text's name, for assistive technology. */
  label: string
  toolbar?: boolean
  numbered?: boolean
  /** Called when a change becomes the current one (by Previous, Next or a click). */
  onCurrent?: (item: OverlayChange) => void
}) {
  const editor = useEditor(
    {
      extensions: [
        ...createSchemaExtensions(),
        ...(numbered ? [ClauseStructure] : []),
        SuggestionOverlayExtension,
      ],
      content: doc,
      editable: false,
      editorProps: {
        attributes: {
          'aria-label': label,
          'aria-readonly': 'true',
          role: 'textbox',
          'aria-multiline': 'true',
          class: 'document-text suggestion-overlay-text',
        },
      },
    },
    [doc],
  )
  const [shown, setShown] = useState<ReadonlySet<string>>(
    () => new Set(parties.map((party) => party.id)),
  )
  const [current, setCurrent] = useState<string | null>(null)
  const [announcement, setAnnouncement] = useState('')
  const visible = useMemo(() => changes.filter((item) => shown.has(item.partyId)), [changes, shown])
  // The placed changes (reading order) once the plugin has them.
  const [placed, setPlaced] = useState<readonly PlacedChange[]>([])
  useEffect(() => {
    if (!editor || editor.isDestroyed) return
    const update: OverlayUpdate = { changes: visible }
    editor.view.dispatch(editor.state.tr.setMeta(suggestionOverlayKey, update))
    setPlaced(suggestionOverlayKey.getState(editor.state)?.placed ?? [])
  }, [editor, visible])
  const currentItem = placed.find((item) => item.key === current) ?? null
  // A narrow column opens at its first change.
  useEffect(() => {
    if (toolbar || !editor || editor.isDestroyed || placed.length === 0) return
    const first = editor.view.dom.querySelector('[data-change-key]')
    const column = first?.closest('.overlay-column')
    if (!first || !column) return
    // The heading stays at the column's top (sticky): the change is scrolled to a line below it,
    // and not at all when it is in view already.
    const heading = column.querySelector('h1, h2, h3, h4, h5, h6')
    const lead = (heading?.getBoundingClientRect().height ?? 0) + COLUMN_LEAD_PX
    const box = first.getBoundingClientRect()
    const top = box.top - column.getBoundingClientRect().top + column.scrollTop
    column.scrollTop = top + box.height <= column.clientHeight ? 0 : Math.max(0, top - lead)
  }, [toolbar, editor, placed])
  // A current change that was decided (or hidden) is no longer there to be current.
  useEffect(() => {
    if (current !== null && !placed.some((item) => item.key === current)) {
      setCurrent(null)
      setAnnouncement('')
    }
  }, [placed, current])

  const goTo = (item: PlacedChange, index: number) => {
    if (!editor || editor.isDestroyed) return
    const { state } = editor
    const selection =
      item.to > item.from
        ? TextSelection.between(state.doc.resolve(item.from), state.doc.resolve(item.to))
        : TextSelection.near(state.doc.resolve(item.from))
    const update: OverlayUpdate = { current: item.key }
    editor.view.dispatch(
      state.tr.setSelection(selection).setMeta(suggestionOverlayKey, update).scrollIntoView(),
    )
    setCurrent(item.key)
    setAnnouncement(announceChange(item, index, placed.length))
    const element = editor.view.dom.querySelector(`[data-change-key="${CSS.escape(item.key)}"]`)
    element?.scrollIntoView({ block: 'center' })
    onCurrent?.(item)
  }
  const step = (direction: 1 | -1) => {
    if (placed.length === 0) {
      setAnnouncement('No changes shown.')
      return
    }
    const at = placed.findIndex((item) => item.key === current)
    const next =
      at < 0
        ? direction === 1
          ? 0
          : placed.length - 1
        : (at + direction + placed.length) % placed.length
    const item = placed[next]
    if (item) goTo(item, next)
  }
  // A click on a change makes it the current one (its author and time show under the toolbar).
  const onClick = (event: React.MouseEvent<HTMLDivElement>) => {
    const target = (event.target as HTMLElement).closest<HTMLElement>('[data-change-key]')
    const key = target?.dataset.changeKey
    const index = placed.findIndex((item) => item.key === key)
    const item = placed[index]
    if (item) goTo(item, index)
  }

  const counts = new Map<string, number>()
  for (const item of changes) counts.set(item.partyId, (counts.get(item.partyId) ?? 0) + 1)
  return (
    <div className="suggestion-overlay">
      {toolbar && (
        <div className="overlay-toolbar">
          <fieldset className="overlay-parties">
            <legend className="pane-title">Show suggestions of</legend>
            {parties.map((party) => (
              <button
                key={party.id}
                type="button"
                className="party-toggle"
                aria-pressed={shown.has(party.id)}
                onClick={() => {
                  const next = new Set(shown)
                  if (next.has(party.id)) next.delete(party.id)
                  else next.add(party.id)
                  setShown(next)
                }}
              >
                <PartySwatch party={party} /> {party.name}{' '}
                <span className="muted">({counts.get(party.id) ?? 0})</span>
              </button>
            ))}
          </fieldset>
          <div className="button-row overlay-steps">
            <button type="button" onClick={() => step(-1)}>
              Previous change
            </button>
            <button type="button" onClick={() => step(1)}>
              Next change
            </button>
            <span className="muted">
              {placed.length} {placed.length === 1 ? 'change' : 'changes'} shown
            </span>
          </div>
          <p className="overlay-announcement" aria-live="polite" role="status">
            {announcement}
          </p>
          {currentItem && (
            <p className="overlay-current">
              <PartySwatch party={{ color: currentItem.color, index: currentItem.partyIndex }} />{' '}
              {describeChange(currentItem)}
            </p>
          )}
        </div>
      )}
      {toolbar ? (
        // biome-ignore lint/a11y/useKeyWithClickEvents lint/a11y/noStaticElementInteractions: the keyboard's way is Previous and Next
        <div className="overlay-paper" onClick={onClick}>
          {editor && <EditorContent editor={editor} className="editor-content" />}
        </div>
      ) : (
        // A narrow column scrolls within itself; the keyboard can scroll it too.
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must take the focus
        <section className="overlay-paper overlay-column" tabIndex={0} aria-label={label}>
          {editor && <EditorContent editor={editor} className="editor-content" />}
        </section>
      )}
    </div>
  )
}
