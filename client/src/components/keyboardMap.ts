/**
 * The keyboard map: every key the pages give a meaning to, where and what it does. Shown in the
 * page's help (`KeyboardHelp`) and written out in docs/ACCESSIBILITY.md (a unit test keeps the two
 * in step).
 */

/** One line of the keyboard map. */
export interface KeyboardMapEntry {
  /** The keys, as written for people ("Alt+Down"). */
  keys: string
  /** Where they work. */
  where: string
  /** What they do. */
  does: string
}

/** The keyboard map, in the order a person meets the places. */
export const KEYBOARD_MAP: readonly KeyboardMapEntry[] = [
  { keys: 'Tab (first)', where: 'any page with the header', does: '"Skip to the content"' },
  { keys: 'Enter', where: 'the skip link', does: 'moves the focus to the content' },
  { keys: 'Tab, Shift+Tab', where: 'everywhere', does: 'the next, previous control' },
  { keys: '?', where: 'anywhere but a text field', does: 'opens this keyboard map' },
  {
    keys: 'Up, Down, Home, End',
    where: 'the outline of clauses (one Tab stop)',
    does: 'the previous, next, first, last clause',
  },
  {
    keys: 'Enter, Space',
    where: 'a clause in the outline, a clause heading in the single text',
    does: 'opens the clause in its panel and moves the focus to the panel',
  },
  {
    keys: 'Alt+Down, Alt+Up',
    where: 'the single text',
    does: 'the next, previous clause heading',
  },
  {
    keys: 'Alt+Down, Alt+Up',
    where: 'the text being edited',
    does: 'the caret to the next, previous heading',
  },
  {
    keys: 'Enter',
    where: 'a button that asks first (circulate, share, sign off, ...)',
    does: 'asks; the focus moves to the confirming button, Cancel returns it',
  },
  {
    keys: 'Alt+F10',
    where: 'the text being edited',
    does: 'moves to the formatting toolbar (its last-used button)',
  },
  {
    keys: 'Left, Right, Home, End',
    where: 'the formatting toolbar',
    does: 'the previous, next, first, last button (enabled ones only)',
  },
  { keys: 'Escape', where: 'the formatting toolbar', does: 'back to the text' },
  {
    keys: 'Control+B, Control+I',
    where: 'the text being edited',
    does: 'bold, italic',
  },
  {
    keys: 'Control+Alt+2, Control+Alt+3, Control+Alt+4',
    where: 'the text being edited',
    does: 'article, section, sub-section heading (in a clause heading: moves the clause to that level)',
  },
  {
    keys: '"## ", "### ", "#### " typed',
    where: 'the start of a paragraph in the text being edited',
    does: 'article, section, sub-section heading',
  },
  {
    keys: 'Enter',
    where: 'an empty last paragraph of a clause in the text being edited',
    does: 'starts a new clause there (the next one, or the first sub-clause)',
  },
  {
    keys: 'Backspace',
    where: 'the start of a clause heading in the text being edited',
    does: 'merges the clause into the text before it',
  },
  {
    keys: 'Tab, Shift+Tab',
    where: 'a clause heading in the text being edited',
    does: 'demotes the clause into the one before it, promotes it a level',
  },
  {
    keys: 'Alt+Shift+Up, Alt+Shift+Down',
    where: 'a clause heading in the text being edited',
    does: 'moves the clause, with its sub-clauses, before the previous, after the next',
  },
  {
    keys: 'Control+Shift+7, Control+Shift+8',
    where: 'the text being edited',
    does: 'numbered list, bulleted list',
  },
  {
    keys: 'Control+Z, Control+Shift+Z',
    where: 'the text being edited',
    does: 'undo, redo (your own edits)',
  },
  { keys: 'Escape', where: 'this keyboard map', does: 'closes it' },
]
