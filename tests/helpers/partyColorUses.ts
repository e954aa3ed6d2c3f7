/**
 * Every place the client paints a party's colour (`partyColor()`, a party's `color`), with what is
 * painted behind or on top of it, read from the client's style sheet: the contrast each place needs
 * (WCAG 2.2 AA: 4.5:1 for text, 3:1 for borders and other marks) and the contrast a colour gets.
 */
import { blendColors, contrastRatio, parseHexColor, type Rgb } from '@onetext/shared/partyPalette'
import type { StyleSheet } from './styleSheet'

/** y-tiptap paints a colleague's selection in their colour with alpha 0x70 (`${color}70`). */
export const REMOTE_SELECTION_ALPHA = 0x70 / 255

/** One place a colour is used, measured. */
export interface ColorMeasurement {
  /** Where, in words (the component and the element). */
  where: string
  /** Text needs 4.5:1 (WCAG 1.4.3); borders, carets and dots 3:1 (1.4.11). */
  kind: 'text' | 'non-text'
  /** The colour in front, as painted (after opacity). */
  foreground: Rgb
  /** The colour behind it, as painted. */
  background: Rgb
  ratio: number
}

/** The ratio a measurement of `kind` needs. */
export function requiredRatio(kind: ColorMeasurement['kind']): number {
  return kind === 'text' ? 4.5 : 3
}

/** `selector`'s background painted over `under` (an opaque colour). */
function backgroundOver(sheet: StyleSheet, selector: string, under: Rgb): Rgb {
  const { rgb, alpha } = sheet.color(selector, 'background')
  return blendColors(rgb, alpha, under)
}

/** `selector`'s own opaque background. */
function opaqueBackground(sheet: StyleSheet, selector: string): Rgb {
  const { rgb, alpha } = sheet.color(selector, 'background')
  if (alpha !== 1) throw new Error(`${selector}'s background is not opaque`)
  return rgb
}

/** Measures party colour `color` in every place the client uses one. */
export function measurePartyColor(color: string, sheet: StyleSheet): ColorMeasurement[] {
  const party = parseHexColor(color)
  const white = (selector: string) => sheet.color(selector, 'color').rgb
  const ink = sheet.color(':root', 'color').rgb
  const paper = sheet.color(':root', '--paper').rgb
  const canvas = opaqueBackground(sheet, ':root')
  const lockedClause = opaqueBackground(sheet, '.document-text .clause-locked')
  const deletedOpacity = sheet.number('.tracked-del', 'opacity')
  const measurements: ColorMeasurement[] = []
  const measure = (where: string, kind: ColorMeasurement['kind'], front: Rgb, back: Rgb) =>
    measurements.push({
      where,
      kind,
      foreground: front,
      background: back,
      ratio: contrastRatio(front, back),
    })

  // Tracked changes (TrackedText): the insertion's words and underline are the colour on the
  // insertion's own faint shade over the box's background; the deletion's words and strike are the
  // colour faded by the deletion's opacity over the box's background.
  const trackedBoxes: Array<[string, string]> = [
    ['an alternative in the clause panel (SuggestionColumns)', '.alternative'],
  ]
  for (const [where, selector] of trackedBoxes) {
    const box = opaqueBackground(sheet, selector)
    measure(`inserted words, ${where}`, 'text', party, backgroundOver(sheet, '.tracked-ins', box))
    measure(`deleted words, ${where}`, 'text', blendColors(party, deletedOpacity, box), box)
  }

  // White words on the colour.
  measure(
    '"Sign clause N for my party" button (SignoffSection)',
    'text',
    white('button.primary'),
    party,
  )
  measure(
    "a colleague's caret label, name on the colour (DocumentEditorView)",
    'text',
    white('.collaboration-carets__label'),
    party,
  )
  measure('initials in a presence avatar (PresenceList)', 'text', white('.avatar'), party)

  // The text under a colleague's selection, tinted with the colour.
  measure(
    "text under a colleague's selection (DocumentEditorView)",
    'text',
    ink,
    blendColors(party, REMOTE_SELECTION_ALPHA, paper),
  )
  measure(
    "text under a colleague's selection in a locked clause",
    'text',
    ink,
    blendColors(party, REMOTE_SELECTION_ALPHA, lockedClause),
  )

  // Borders, carets and dots against what is beside them.
  measure(
    'alternative top border, inside',
    'non-text',
    party,
    opaqueBackground(sheet, '.alternative'),
  )
  measure(
    'alternative top border, on the panel',
    'non-text',
    party,
    opaqueBackground(sheet, '.clause-panel'),
  )
  measure("a colleague's caret line", 'non-text', party, paper)
  measure("a colleague's caret line in a locked clause", 'non-text', party, lockedClause)
  measure('party dot on the page (layer toggles)', 'non-text', party, canvas)
  measure(
    'party dot in the clause panel (sign-off)',
    'non-text',
    party,
    opaqueBackground(sheet, '.clause-panel'),
  )
  measure(
    'role badge border in the header',
    'non-text',
    party,
    opaqueBackground(sheet, '.app-header'),
  )
  return measurements
}
