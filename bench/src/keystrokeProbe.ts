/**
 * Keystroke-to-paint, measured in the page: from a keydown event's timestamp to the end of the
 * frame that paints it. The frame's `requestAnimationFrame` callback runs, then the frame paints;
 * a message posted from that callback is handled after the paint.
 */
import type { Page } from 'playwright-core'

interface ProbeWindow {
  keystrokeSamples: number[]
}

/** Starts recording a sample for every keydown in `page` (call once, before typing). */
export async function installKeystrokeProbe(page: Page): Promise<void> {
  await page.evaluate(() => {
    const samples: number[] = []
    ;(window as unknown as ProbeWindow).keystrokeSamples = samples
    document.addEventListener(
      'keydown',
      (event) => {
        const start = event.timeStamp
        requestAnimationFrame(() => {
          const channel = new MessageChannel()
          channel.port1.onmessage = () => samples.push(performance.now() - start)
          channel.port2.postMessage(null)
        })
      },
      true,
    )
  })
}

/**
 * Types `keystrokes` characters at a person's pace (60 ms apart) where the caret is, waits for
 * every one to be painted, and returns the samples (ms), in order.
 */
export async function typeAndMeasure(page: Page, keystrokes: number): Promise<number[]> {
  await page.keyboard.type('x'.repeat(keystrokes), { delay: 60 })
  await page.waitForFunction(
    (count) => (window as unknown as ProbeWindow).keystrokeSamples.length >= count,
    keystrokes,
  )
  return page.evaluate(() => (window as unknown as ProbeWindow).keystrokeSamples)
}
