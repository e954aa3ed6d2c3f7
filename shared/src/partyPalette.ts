/**
 * The colours parties are given, in the order a new negotiation hands them out, and the WCAG 2.2
 * contrast arithmetic that checks them. A party's colour is the text colour of its tracked
 * insertions and deletions (deletions are also faded), a border, a caret, and the background of
 * white words (the sign-off button, the caret's name label, the presence avatar): every colour here
 * keeps 4.5:1 in each of those places (`tests/unit/partyPalette.test.ts` measures them against the
 * client's style sheet).
 */

/**
 * Party colours, one per party in the order the parties are named (the thirteenth party starts
 * again at the first). Dark enough for text on the light tints behind tracked changes, and for
 * white text on them; their hues (red, blue, green, violet, amber, teal, pink, olive, plum,
 * indigo, purple, burgundy) kept apart.
 */
export const PARTY_PALETTE: readonly string[] = [
  '#b42318',
  '#1d4ed8',
  '#05694c',
  '#7530e4',
  '#994400',
  '#00657e',
  '#be185d',
  '#3d6602',
  '#741a6a',
  '#4e20a4',
  '#9b29a6',
  '#811b2a',
]

/** The colour of people and things that belong to no party (mediators, observers). */
export const NEUTRAL_PARTY_COLOR = '#51558c'

/** The colour of the `index`th party (from 0) of a negotiation. */
export function partyPaletteColor(index: number): string {
  const size = PARTY_PALETTE.length
  return PARTY_PALETTE[((index % size) + size) % size] as string
}

/** A colour as red, green and blue, 0 to 255 each. */
export type Rgb = readonly [number, number, number]

/** Reads a `#rgb` or `#rrggbb` colour; throws on anything else. */
export function parseHexColor(color: string): Rgb {
  const match = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(color.trim())
  if (!match?.[1]) throw new Error(`not a hex colour: ${color}`)
  const digits =
    match[1].length === 3
      ? [...match[1]].map((digit) => digit + digit).join('')
      : (match[1] as string)
  return [0, 2, 4].map((at) => Number.parseInt(digits.slice(at, at + 2), 16)) as unknown as Rgb
}

/** `color` as `#rrggbb` (channels rounded). */
export function formatHexColor(color: Rgb): string {
  return `#${color.map((channel) => Math.round(channel).toString(16).padStart(2, '0')).join('')}`
}

/**
 * `top` painted with opacity `alpha` (0 to 1) over the opaque `bottom`: what the eye sees of a
 * translucent colour or an element with CSS `opacity`.
 */
export function blendColors(top: Rgb, alpha: number, bottom: Rgb): Rgb {
  return [0, 1, 2].map(
    (index) => (top[index] as number) * alpha + (bottom[index] as number) * (1 - alpha),
  ) as unknown as Rgb
}

function linearChannel(channel: number): number {
  const value = channel / 255
  return value <= 0.04045 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4
}

/** WCAG's relative luminance of a colour (0 for black, 1 for white). */
export function relativeLuminance(color: Rgb | string): number {
  const [red, green, blue] = typeof color === 'string' ? parseHexColor(color) : color
  return 0.2126 * linearChannel(red) + 0.7152 * linearChannel(green) + 0.0722 * linearChannel(blue)
}

/**
 * WCAG 2.2's contrast ratio of two opaque colours, from 1 (the same) to 21 (black on white): text
 * needs 4.5 (AA, 1.4.3), borders and other non-text marks 3 (1.4.11). Either order.
 */
export function contrastRatio(a: Rgb | string, b: Rgb | string): number {
  const first = relativeLuminance(a)
  const second = relativeLuminance(b)
  return (Math.max(first, second) + 0.05) / (Math.min(first, second) + 0.05)
}
