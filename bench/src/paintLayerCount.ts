/**
 * A diagnostic of the keystroke benchmark (`BENCH_LAYER_COUNT=1`): the page's elements whose style
 * makes them paint layers of their own in Chromium (positioned, content-visibility, a clip, opacity,
 * a transform, a filter, isolation, will-change, a z-index), counted by tag, class and the style
 * that makes them one. Every such layer is walked again on each frame (hit testing the mouse,
 * pre-paint), so a count in the hundreds is worth a look.
 */
import type { Page } from 'playwright-core'

/** The count of layer-making elements of `page`, by kind, as lines of text (most first). */
export async function paintLayerCount(page: Page): Promise<string> {
  const counts = await page.evaluate(() => {
    const found: Record<string, number> = {}
    let total = 0
    for (const element of Array.from(document.querySelectorAll('*'))) {
      const style = getComputedStyle(element)
      const reasons = [
        style.position !== 'static' ? style.position : '',
        style.contentVisibility !== 'visible'
          ? `content-visibility:${style.contentVisibility}`
          : '',
        style.overflow !== 'visible' ? `overflow:${style.overflow}` : '',
        style.opacity !== '1' ? 'opacity' : '',
        style.transform !== 'none' ? 'transform' : '',
        style.filter !== 'none' ? 'filter' : '',
        style.isolation === 'isolate' ? 'isolation' : '',
        style.willChange !== 'auto' ? 'will-change' : '',
        style.zIndex !== 'auto' ? 'z-index' : '',
      ].filter((reason) => reason !== '')
      if (reasons.length === 0) continue
      total++
      const key = `${element.tagName.toLowerCase()}.${Array.from(element.classList).join('.')} (${reasons.join(', ')})`
      found[key] = (found[key] ?? 0) + 1
    }
    return { total, found }
  })
  const lines = Object.entries(counts.found)
    .sort((a, b) => b[1] - a[1])
    .map(([kind, count]) => `  ${count} ${kind}`)
  return [`${counts.total} elements make paint layers:`, ...lines].join('\n')
}
