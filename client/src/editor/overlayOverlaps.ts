/**
 * Words that several parties struck, in the suggestion overlay: the stretches of the text where
 * the deletions of two or more parties meet, drawn in one "several parties" look (a grey
 * cross-hatch and a double strike in ink, `ovl-several`) with, before them, each party's swatch
 * (its colour and its pattern, as the toolbar shows it), so that every party that struck them is
 * seen, and not by colour alone. Each party's own strike stays an element of its own inside.
 */
import type { PlacedChange } from './overlayDecorations'

/** A stretch of text struck by two or more parties: its positions and the deletions over it. */
export interface OverlapSegment {
  from: number
  to: number
  /** The deletions covering the whole stretch, in reading (then party) order. */
  items: PlacedChange[]
}

/**
 * The stretches of `placed` (in reading order, as `placeChanges` gives them) where deletions of
 * two or more parties cover the same words, each as long as the same deletions cover it; none when
 * no two parties' deletions meet.
 */
export function overlapSegments(placed: readonly PlacedChange[]): OverlapSegment[] {
  const strikes = placed.filter((item) => item.change.kind === 'delete' && item.to > item.from)
  const edges = [...new Set(strikes.flatMap((item) => [item.from, item.to]))].sort((a, b) => a - b)
  const out: OverlapSegment[] = []
  for (let at = 0; at + 1 < edges.length; at++) {
    const from = edges[at] as number
    const to = edges[at + 1] as number
    const items = strikes.filter((item) => item.from <= from && item.to >= to)
    if (new Set(items.map((item) => item.partyId)).size < 2) continue
    const last = out[out.length - 1]
    const same =
      last?.to === from &&
      last.items.length === items.length &&
      last.items.every((item, index) => item.key === items[index]?.key)
    if (last && same) last.to = to
    else out.push({ from, to, items })
  }
  return out
}

/** The parties of a segment, each once, in party order. */
export function segmentParties(segment: OverlapSegment): PlacedChange[] {
  const seen = new Map<string, PlacedChange>()
  for (const item of segment.items) if (!seen.has(item.partyId)) seen.set(item.partyId, item)
  return [...seen.values()].sort((a, b) => a.partyIndex - b.partyIndex)
}

/** "Struck by Union and Management" for a segment's tooltip. */
export function segmentTitle(segment: OverlapSegment): string {
  const names = segmentParties(segment).map((item) => item.partyName)
  const list =
    names.length <= 1
      ? names.join('')
      : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`
  return `Struck by ${list}`
}

/**
 * The swatches shown before a segment (hidden from screen readers, which hear each party's
 * deletion in words): one per party, its colour and its pattern (`patterns` of them, by the party's
 * index).
 */
export function renderSegmentMarker(segment: OverlapSegment, patterns: number): HTMLElement {
  const marker = document.createElement('span')
  marker.className = 'ovl-several-parties'
  marker.setAttribute('aria-hidden', 'true')
  marker.title = segmentTitle(segment)
  for (const item of segmentParties(segment)) {
    const swatch = document.createElement('span')
    swatch.className = `party-swatch ovl-pattern-${item.partyIndex % patterns}`
    swatch.style.setProperty('--party-color', item.color)
    swatch.dataset.party = item.partyId
    marker.append(swatch)
  }
  return marker
}
