/**
 * What a locked (tentatively agreed) clause says about itself, wherever it is shown: a padlock,
 * drawn inline so that no emoji font is needed, and the words. The editor builds it as DOM
 * (`lockNoteElement`, a widget above the heading); the single text's cards and panel render it with
 * React (`LockNote`); both from the shapes and words here.
 */

/** The words of the note. */
export const LOCK_NOTE_TEXT =
  'Tentatively agreed and locked: reopening needs every party’s consent.'

/** The padlock: its SVG view box and shapes (element name and attributes). */
export const LOCK_ICON = {
  viewBox: '0 0 16 16',
  shapes: [
    {
      name: 'path',
      attributes: {
        d: 'M5 7V5a3 3 0 0 1 6 0v2',
        fill: 'none',
        stroke: 'currentColor',
        'stroke-width': '1.6',
      },
    },
    {
      name: 'rect',
      attributes: { x: '3', y: '7', width: '10', height: '8', rx: '1.5', fill: 'currentColor' },
    },
  ],
} as const

const SVG = 'http://www.w3.org/2000/svg'

/** An SVG element `name` with `attributes`. */
function svgElement(name: string, attributes: Readonly<Record<string, string>>): SVGElement {
  const element = document.createElementNS(SVG, name)
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, value)
  return element
}

/** The note as DOM, not editable (for an editor widget). */
export function lockNoteElement(): HTMLElement {
  const note = document.createElement('div')
  note.className = 'clause-lock-note'
  note.contentEditable = 'false'
  const icon = svgElement('svg', {
    viewBox: LOCK_ICON.viewBox,
    width: '14',
    height: '14',
    'aria-hidden': 'true',
    class: 'clause-lock-icon',
  })
  for (const shape of LOCK_ICON.shapes) icon.append(svgElement(shape.name, shape.attributes))
  note.append(icon, ` ${LOCK_NOTE_TEXT}`)
  return note
}
