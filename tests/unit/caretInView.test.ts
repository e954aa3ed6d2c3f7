import { describe, expect, it } from 'vitest'
import { CARET_MARGIN_PX, windowScrollFor } from '../../client/src/editor/CaretInView'

describe('windowScrollFor', () => {
  const covered = 100
  const height = 900
  const line = (top: number) => ({ top, bottom: top + 20 })

  it('leaves a caret between the bars and the bottom edge where it is', () => {
    expect(windowScrollFor(line(covered + CARET_MARGIN_PX), covered, height)).toBe(0)
    expect(windowScrollFor(line(height - CARET_MARGIN_PX - 20), covered, height)).toBe(0)
  })

  it('scrolls up a caret under the bars to just below them', () => {
    expect(windowScrollFor(line(90), covered, height)).toBe(90 - covered - CARET_MARGIN_PX)
    expect(windowScrollFor(line(-500), covered, height)).toBe(-500 - covered - CARET_MARGIN_PX)
  })

  it('scrolls down a caret below the window to just above its bottom edge', () => {
    expect(windowScrollFor(line(950), covered, height)).toBe(970 - height + CARET_MARGIN_PX)
  })
})
