/**
 * The party palette's contrast, measured in every place the client uses a party's colour (read
 * from the client's style sheet: the tints behind tracked changes, the deletions' fading, the white
 * words on the sign-off button, caret labels and avatars, the borders), for every palette colour
 * and the neutral one; the colours kept apart from one another; the demo and new negotiations
 * taking theirs from the palette.
 */
import {
  contrastRatio,
  formatHexColor,
  NEUTRAL_PARTY_COLOR,
  PARTY_PALETTE,
  parseHexColor,
  partyPaletteColor,
  type Rgb,
} from '@onetext/shared/partyPalette'
import { describe, expect, it } from 'vitest'
import { NEUTRAL_COLOR } from '../../server/src/access/presenceIdentity'
import { DEMO_PARTIES } from '../../server/src/seed/demoSeed'
import { measurePartyColor, requiredRatio } from '../helpers/partyColorUses'
import { readStyleSheet } from '../helpers/styleSheet'

/** Björn Ottosson's Oklab: a colour space in which distance follows perceived difference. */
function oklab(color: Rgb): [number, number, number] {
  const [r, g, b] = color.map((channel) => {
    const value = channel / 255
    return value <= 0.04045 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4
  }) as [number, number, number]
  const l = Math.cbrt(0.4122214708 * r + 0.5363325363 * g + 0.0514459929 * b)
  const m = Math.cbrt(0.2119034982 * r + 0.6806995451 * g + 0.1073969566 * b)
  const s = Math.cbrt(0.0883024619 * r + 0.2817188376 * g + 0.6299787005 * b)
  return [
    0.2104542553 * l + 0.793617785 * m - 0.0040720468 * s,
    1.9779984951 * l - 2.428592205 * m + 0.4505937099 * s,
    0.0259040371 * l + 0.7827717662 * m - 0.808675766 * s,
  ]
}

function colorDistance(a: string, b: string): number {
  const [la, aa, ba] = oklab(parseHexColor(a))
  const [lb, ab, bb] = oklab(parseHexColor(b))
  return Math.hypot(la - lb, aa - ab, ba - bb)
}

/** The measurements of `color` that fall short, one line each. */
function shortfalls(color: string): string[] {
  return measurePartyColor(color, readStyleSheet())
    .filter((measurement) => measurement.ratio < requiredRatio(measurement.kind))
    .map(
      (measurement) =>
        `${color}, ${measurement.where}: ${formatHexColor(measurement.foreground)} on ${formatHexColor(measurement.background)} is ${measurement.ratio.toFixed(2)}:1, needs ${requiredRatio(measurement.kind)}:1`,
    )
}

describe('the party palette', () => {
  it('computes WCAG contrast ratios', () => {
    expect(contrastRatio('#000', '#fff')).toBeCloseTo(21, 5)
    expect(contrastRatio('#ffffff', '#ffffff')).toBe(1)
    // WCAG's own example values: #767676 on white is the lightest grey that passes 4.5:1.
    expect(contrastRatio('#767676', '#fff')).toBeCloseTo(4.54, 2)
    expect(contrastRatio('#fff', '#767676')).toBe(contrastRatio('#767676', '#fff'))
    expect(() => contrastRatio('red', '#fff')).toThrow(/not a hex colour/)
  })

  it('keeps 4.5:1 for text and 3:1 for marks wherever a party colour is used', () => {
    const uses = measurePartyColor(PARTY_PALETTE[0] as string, readStyleSheet())
    // Every place is measured: three boxes of tracked text (inserted and deleted), three places of
    // white words on the colour, two of text under a colleague's selection, twelve borders and marks.
    expect(uses.filter((use) => use.kind === 'text')).toHaveLength(7)
    expect(uses.filter((use) => use.kind === 'non-text')).toHaveLength(7)
    expect([...PARTY_PALETTE, NEUTRAL_PARTY_COLOR].flatMap(shortfalls)).toEqual([])
  })

  it('catches a colour that is too light for faded deleted words', () => {
    // The old palette's green passed as plain text on white (5.5:1) but not as a deletion, faded.
    expect(contrastRatio('#047857', '#fff')).toBeGreaterThan(4.5)
    expect(shortfalls('#047857')).toEqual([
      expect.stringMatching(/^#047857, deleted words, an alternative in the clause panel/),
    ])
  })

  it('keeps the colours apart from one another and from the neutral colour', () => {
    const colors = [...PARTY_PALETTE, NEUTRAL_PARTY_COLOR]
    expect(new Set(colors).size).toBe(colors.length)
    const close: string[] = []
    for (const [index, a] of colors.entries()) {
      for (const b of colors.slice(index + 1)) {
        // 0.07 in Oklab is a difference seen at a glance side by side (the old palette had two
        // violets 0.05 apart).
        if (colorDistance(a, b) < 0.07) close.push(`${a} ${b} ${colorDistance(a, b).toFixed(3)}`)
      }
    }
    expect(close).toEqual([])
  })

  it('gives the demo, new negotiations and people without a party their colours from it', () => {
    expect(DEMO_PARTIES.map((party) => party.color)).toEqual(PARTY_PALETTE.slice(0, 2))
    expect(PARTY_PALETTE.map((_, index) => partyPaletteColor(index))).toEqual(PARTY_PALETTE)
    expect(partyPaletteColor(PARTY_PALETTE.length)).toBe(PARTY_PALETTE[0])
    expect(NEUTRAL_COLOR).toBe(NEUTRAL_PARTY_COLOR)
  })
})
