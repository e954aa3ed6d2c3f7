/**
 * The formatting toolbar: article and section headings, paragraph, lists, bold, italic, undo and
 * redo. The heading buttons use the clause commands (`ClauseCommands`): on a paragraph they start a
 * clause there, on a clause heading they move the clause to that depth, and they show pressed in
 * the heading of a clause of their depth. Every button is a real button, labelled with a name that contains its visible text, and
 * shows its state with aria-pressed. Undo and redo act on the user's own edits only (the Yjs undo
 * manager).
 *
 * The keyboard reaches it as one stop (the WAI-ARIA toolbar pattern): Tab enters at the button
 * last used, the arrow keys (and Home, End) move between the enabled buttons, Escape goes back to
 * the text; Alt+F10 in the text moves to the toolbar.
 */
import { CLAUSE_HEADING_NODE, CLAUSE_NODE } from '@onetext/shared/clauses'
import type { Editor } from '@tiptap/core'
import { useEditorState } from '@tiptap/react'
import { yUndoPluginKey } from '@tiptap/y-tiptap'
import { type KeyboardEvent, useEffect } from 'react'
import { useRovingFocus } from '../components/useRovingFocus'

/** The Yjs undo manager's stacks, read directly: a `can()` chain per transaction costs a keystroke's budget. */
function undoStacks(editor: Editor): { undo: boolean; redo: boolean } {
  const state = yUndoPluginKey.getState(editor.state) as
    | { undoManager: { undoStack: unknown[]; redoStack: unknown[] } }
    | undefined
  return {
    undo: (state?.undoManager.undoStack.length ?? 0) > 0,
    redo: (state?.undoManager.redoStack.length ?? 0) > 0,
  }
}

/** The depth of the clause whose heading holds the selection (1 an article), or null elsewhere. */
function clauseHeadingDepth(editor: Editor): number | null {
  const { $from } = editor.state.selection
  if ($from.parent.type.name !== CLAUSE_HEADING_NODE) return null
  let depth = 0
  for (let level = 1; level < $from.depth; level++)
    if ($from.node(level).type.name === CLAUSE_NODE) depth++
  return depth
}

interface ToolbarButton {
  label: string
  text: string
  shortcut?: string
  isActive?: (editor: Editor) => boolean
  /** Checked on every transaction, so only where it is cheap; without it a button is enabled while editable. */
  canRun?: (editor: Editor) => boolean
  run: (editor: Editor) => void
}

const BUTTONS: ToolbarButton[][] = [
  [
    {
      label: 'Text paragraph',
      text: 'Text',
      isActive: (e) => e.isActive('paragraph'),
      // A clause heading made text dissolves its clause where it stands (ClauseCommands).
      run: (e) =>
        clauseHeadingDepth(e) === null
          ? e.chain().focus().setParagraph().run()
          : e.chain().focus().unsetClauseHeading().run(),
    },
    {
      label: 'Article heading',
      text: 'Article',
      shortcut: 'Control+Alt+2',
      isActive: (e) => clauseHeadingDepth(e) === 1,
      run: (e) => e.chain().focus().setClauseHeading(1).run(),
    },
    {
      label: 'Section heading',
      text: 'Section',
      shortcut: 'Control+Alt+3',
      isActive: (e) => clauseHeadingDepth(e) === 2,
      run: (e) => e.chain().focus().setClauseHeading(2).run(),
    },
  ],
  [
    {
      label: 'Bulleted list',
      text: 'Bulleted',
      shortcut: 'Control+Shift+8',
      isActive: (e) => e.isActive('bulletList'),
      run: (e) => e.chain().focus().toggleBulletList().run(),
    },
    {
      label: 'Numbered list',
      text: 'Numbered',
      shortcut: 'Control+Shift+7',
      isActive: (e) => e.isActive('orderedList'),
      run: (e) => e.chain().focus().toggleOrderedList().run(),
    },
  ],
  [
    {
      label: 'Bold',
      text: 'B',
      shortcut: 'Control+B',
      isActive: (e) => e.isActive('bold'),
      run: (e) => e.chain().focus().toggleBold().run(),
    },
    {
      label: 'Italic',
      text: 'I',
      shortcut: 'Control+I',
      isActive: (e) => e.isActive('italic'),
      run: (e) => e.chain().focus().toggleItalic().run(),
    },
  ],
  [
    {
      label: 'Undo my last edit',
      text: 'Undo',
      shortcut: 'Control+Z',
      canRun: (e) => undoStacks(e).undo,
      run: (e) => e.chain().focus().undo().run(),
    },
    {
      label: 'Redo',
      text: 'Redo',
      shortcut: 'Control+Shift+Z',
      canRun: (e) => undoStacks(e).redo,
      run: (e) => e.chain().focus().redo().run(),
    },
  ],
]

/** Every button in order (the toolbar's keyboard stops). */
const ALL_BUTTONS = BUTTONS.flat()

/** The key that moves from the text to the toolbar. */
export const TOOLBAR_KEY = 'Alt+F10'

export function Toolbar({ editor }: { editor: Editor }) {
  const state = useEditorState({
    editor,
    selector: ({ editor: current }) =>
      BUTTONS.map((group) =>
        group.map((button) => ({
          active: button.isActive?.(current) ?? null,
          enabled: current.isEditable && (button.canRun?.(current) ?? true),
        })),
      ),
    equalityFn: (a, b) => JSON.stringify(a) === JSON.stringify(b),
  })
  const flatState = state?.flat() ?? []
  const roving = useRovingFocus(
    ALL_BUTTONS.length,
    'horizontal',
    (index) => flatState[index]?.enabled ?? false,
  )
  const { stop, focusStop } = roving

  useEffect(() => {
    const text = editor.view.dom
    const onKey = (event: globalThis.KeyboardEvent) => {
      if (event.altKey && event.key === 'F10') {
        event.preventDefault()
        focusStop()
      }
    }
    text.addEventListener('keydown', onKey)
    return () => text.removeEventListener('keydown', onKey)
  }, [editor, focusStop])

  const move = (event: KeyboardEvent<HTMLDivElement>) => {
    if (roving.onKeyDown(event)) return
    if (event.key === 'Escape') {
      event.preventDefault()
      editor.commands.focus()
    }
  }

  let index = -1
  return (
    // Sticks over the text's top while it scrolls: the caret is kept out from under it (CaretInView).
    <div
      className="toolbar"
      role="toolbar"
      aria-label="Formatting"
      aria-keyshortcuts={TOOLBAR_KEY}
      data-covers-text=""
      onKeyDown={move}
    >
      {BUTTONS.map((group, groupIndex) => (
        <div className="toolbar-group" key={group[0]?.label ?? groupIndex}>
          {group.map((button, buttonIndex) => {
            index++
            const position = index
            const buttonState = state?.[groupIndex]?.[buttonIndex]
            return (
              <button
                key={button.label}
                ref={roving.itemRef(position)}
                type="button"
                className="tool"
                tabIndex={position === stop ? 0 : -1}
                aria-label={button.label}
                title={button.shortcut ? `${button.label} (${button.shortcut})` : button.label}
                aria-keyshortcuts={button.shortcut}
                aria-pressed={buttonState?.active ?? undefined}
                disabled={!buttonState?.enabled}
                onClick={() => {
                  roving.setStop(position)
                  button.run(editor)
                }}
              >
                {button.text.length === 1 ? (
                  <span aria-hidden="true">{button.text}</span>
                ) : (
                  button.text
                )}
              </button>
            )
          })}
        </div>
      ))}
    </div>
  )
}
