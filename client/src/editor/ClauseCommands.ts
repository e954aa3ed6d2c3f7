/**
 * Structural editing of the clause tree, as a person expects it of a structured legal editor:
 *
 * - Enter: at the end of a clause heading, a new first body paragraph; in its middle, the rest of
 *   the heading becomes that paragraph; at its start, an empty paragraph before the clause. In an
 *   empty last body paragraph of a clause, a new clause (the first child when the clause has
 *   children, else the next sibling) with the caret in its heading.
 * - Backspace at the start of a clause heading, Delete at the end of the text before one: the
 *   clause dissolves into what precedes it (`dissolveClause` in `./clauseEdits`).
 * - Mod-Alt-2/3/4 and `## `, `### `, `#### ` typed at the start of a paragraph: an article,
 *   section or sub-section heading (on a clause heading, the clause moves to that depth);
 *   Mod-Alt-0 in a clause heading makes it a paragraph.
 * - Tab and Shift-Tab in a clause heading: demote, promote (in body text they are left to lists).
 * - Alt-Shift-Up and Alt-Shift-Down in a clause heading: the clause swaps places with its previous,
 *   next sibling, children and all.
 * - Paste: flat headings become nested clauses, duplicated clause ids are renewed, whole clauses
 *   pasted go in after the clause holding the caret (`./clausePaste`).
 *
 * Every command refuses (returns false, changes nothing) when it would change a locked clause or
 * anything inside one (option `lockedClauses`), and then calls `onLockedEdit`. Undo is the
 * editor's collaboration undo: these are ordinary local transactions.
 */
import { CLAUSE_HEADING_NODE } from '@onetext/shared/clauses'
import { type Command, Extension, InputRule } from '@tiptap/core'
import { Plugin, PluginKey, type Transaction } from '@tiptap/pm/state'
import {
  type ClauseEditContext,
  demoteClause,
  enterInClause,
  joinClauseBackward,
  joinClauseForward,
  moveClause,
  promoteClause,
  setClauseHeading,
  unsetClauseHeading,
} from './clauseEdits'
import { freshClauseIds, nestFlatHeadings, pasteClauses } from './clausePaste'

declare module '@tiptap/core' {
  interface Commands<ReturnType> {
    clauseCommands: {
      /** A heading at `depth` (1 article, 2 section, 3 sub-section) here: see `setClauseHeading`. */
      setClauseHeading: (depth: number) => ReturnType
      /** The clause heading holding the caret becomes a paragraph. */
      unsetClauseHeading: () => ReturnType
      /** The clause whose heading holds the caret moves up one level. */
      promoteClause: () => ReturnType
      /** The clause whose heading holds the caret becomes its previous sibling's last child. */
      demoteClause: () => ReturnType
      /** The clause whose heading holds the caret swaps with its previous sibling. */
      moveClauseUp: () => ReturnType
      /** The clause whose heading holds the caret swaps with its next sibling. */
      moveClauseDown: () => ReturnType
      /** Enter in a clause heading or an empty last body paragraph (see `enterInClause`). */
      enterInClause: () => ReturnType
      /** Backspace at the start of a clause heading: the clause dissolves into what precedes it. */
      joinClauseBackward: () => ReturnType
      /** Delete at the end of the text right before a clause heading: that clause dissolves. */
      joinClauseForward: () => ReturnType
    }
  }
}

/**
 * Options: which clauses are locked (read at every command) and what to do on a refusal. Left
 * unset, both are read from the editor's `clauseStructure` extension when it has one.
 */
export interface ClauseCommandsOptions {
  /** Ids of the locked clauses; a locked clause's whole subtree is locked. Default: see above. */
  lockedClauses: () => ReadonlySet<string>
  /** Called when a command is refused because it would change a locked clause. */
  onLockedEdit: () => void
}

const pasteKey = new PluginKey('clausePaste')
const NO_CLAUSES: ReadonlySet<string> = new Set()

const noRefusal = () => {}
const noLocks = () => NO_CLAUSES

/**
 * The lock options in force: this extension's own when configured, else those of the editor's
 * `clauseStructure` extension (the numbering and lock filter), so that registering the commands
 * unconfigured next to it is enough.
 */
function lockOptions(
  own: ClauseCommandsOptions,
  extensions: ReadonlyArray<{ name: string; options: unknown }>,
): ClauseCommandsOptions {
  if (own.lockedClauses !== noLocks) return own
  const structure = extensions.find((extension) => extension.name === 'clauseStructure')
  const options = structure?.options as Partial<ClauseCommandsOptions> | undefined
  return {
    lockedClauses: options?.lockedClauses ?? own.lockedClauses,
    onLockedEdit:
      own.onLockedEdit !== noRefusal ? own.onLockedEdit : (options?.onLockedEdit ?? noRefusal),
  }
}

/** A clause edit of `./clauseEdits`. */
type ClauseEdit = (tr: Transaction, context: ClauseEditContext) => boolean

const moveUp: ClauseEdit = (tr, context) => moveClause(tr, -1, context)
const moveDown: ClauseEdit = (tr, context) => moveClause(tr, 1, context)

/**
 * Runs `edit` on `tr` with the locks in force: "done", "refused" when a lock refuses it (it would
 * run without the lock; `onLockedEdit` is called unless on a dry run), or "none" when it does not
 * apply here.
 */
function runEdit(
  tr: Transaction,
  edit: ClauseEdit,
  options: ClauseCommandsOptions,
  dryRun: boolean,
): 'done' | 'refused' | 'none' {
  const locked = options.lockedClauses()
  if (edit(tr, { locked, dryRun })) return 'done'
  if (locked.size === 0 || !edit(tr, { locked: NO_CLAUSES, dryRun: true })) return 'none'
  if (!dryRun) options.onLockedEdit()
  return 'refused'
}

/** True when the selection is within one clause heading. */
function inClauseHeading(tr: { selection: Transaction['selection'] }): boolean {
  const { $from, $to } = tr.selection
  return $from.parent.type.name === CLAUSE_HEADING_NODE && $from.sameParent($to)
}

/** The `clauseCommands` extension: structural commands, keys, input rules and paste handling. */
export const ClauseCommands = Extension.create<ClauseCommandsOptions>({
  name: 'clauseCommands',
  // Before the core keymap (Enter, Backspace, Delete) and the list items' Tab.
  priority: 200,

  addOptions() {
    return { lockedClauses: noLocks, onLockedEdit: noRefusal }
  },

  addCommands() {
    const options = () => lockOptions(this.options, this.editor.extensionManager.extensions)
    const command =
      (edit: ClauseEdit): Command =>
      ({ tr, dispatch }) =>
        runEdit(tr, edit, options(), !dispatch) === 'done'
    return {
      setClauseHeading: (depth) => command((tr, context) => setClauseHeading(tr, depth, context)),
      unsetClauseHeading: () => command(unsetClauseHeading),
      promoteClause: () => command(promoteClause),
      demoteClause: () => command(demoteClause),
      moveClauseUp: () => command(moveUp),
      moveClauseDown: () => command(moveDown),
      enterInClause: () => command(enterInClause),
      joinClauseBackward: () => command(joinClauseBackward),
      joinClauseForward: () => command(joinClauseForward),
    }
  },

  addKeyboardShortcuts() {
    const editor = this.editor
    const options = () => lockOptions(this.options, editor.extensionManager.extensions)
    // Keys run the edits on a transaction of their own, dispatched only when one applies (a
    // command dispatches even when it does not, and Enter and Delete are pressed all the time). A
    // key refused by a lock is handled: the default edit would only be refused again.
    const run = (edit: ClauseEdit) => {
      const tr = editor.state.tr
      const outcome = runEdit(tr, edit, options(), false)
      if (outcome === 'done') editor.view.dispatch(tr.scrollIntoView())
      return outcome !== 'none'
    }
    const inHeading = () => inClauseHeading(editor.state)
    const caretInHeading = () => inHeading() && editor.state.selection.empty
    // In a clause heading these keys mean only the clause commands: when one cannot apply (a
    // first child demoted, a locked clause) nothing happens, rather than a default edit.
    return {
      Enter: () => run(enterInClause) || caretInHeading(),
      Backspace: () => {
        const { $from, empty } = editor.state.selection
        if (!empty || !inHeading() || $from.parentOffset > 0) return false
        return editor.commands.undoInputRule() || run(joinClauseBackward) || true
      },
      Delete: () => run(joinClauseForward),
      'Mod-Alt-0': () => run(unsetClauseHeading),
      'Mod-Alt-2': () => run((tr, context) => setClauseHeading(tr, 1, context)),
      'Mod-Alt-3': () => run((tr, context) => setClauseHeading(tr, 2, context)),
      'Mod-Alt-4': () => run((tr, context) => setClauseHeading(tr, 3, context)),
      Tab: () => inHeading() && (run(demoteClause) || true),
      'Shift-Tab': () => inHeading() && (run(promoteClause) || true),
      'Alt-Shift-ArrowUp': () => inHeading() && (run(moveUp) || true),
      'Alt-Shift-ArrowDown': () => inHeading() && (run(moveDown) || true),
    }
  },

  addInputRules() {
    const options = () => lockOptions(this.options, this.editor.extensionManager.extensions)
    return [
      new InputRule({
        find: /^(#{2,4})\s$/,
        handler: ({ state, range, match }) => {
          const depth = (match[1]?.length ?? 2) - 1
          const tr = state.tr
          tr.delete(range.from, range.to)
          const context = { locked: options().lockedClauses(), dryRun: false }
          return setClauseHeading(tr, depth, context) ? undefined : null
        },
      }),
    ]
  },

  addProseMirrorPlugins() {
    const options = () => lockOptions(this.options, this.editor.extensionManager.extensions)
    return [
      new Plugin({
        key: pasteKey,
        props: {
          transformPastedHTML: (html) => nestFlatHeadings(html),
          transformPasted: (slice, view) => freshClauseIds(slice, view.state.doc),
          handlePaste: (view, _event, slice) => {
            const tr = pasteClauses(view.state, slice, options().lockedClauses())
            if (!tr) return false
            view.dispatch(tr.scrollIntoView())
            return true
          },
        },
      }),
    ]
  },
})
