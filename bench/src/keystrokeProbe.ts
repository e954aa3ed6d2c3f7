/**
 * Keystroke-to-paint, measured in the page: from a keydown event's timestamp to the end of the
 * frame that paints it. The frame's `requestAnimationFrame` callback runs, then the frame paints;
 * a message posted from that callback is handled after the paint. Each sample also notes whether
 * a change made elsewhere (a colleague's, through the Yjs binding) reached the editor between the
 * keydown and the end of its frame.
 */
import type { Page } from 'playwright-core'

interface ProbeWindow {
  keystrokeSamples: number[]
  keystrokeRemote: boolean[]
  remoteChanges: number
}

/** Starts recording a sample for every keydown in `page` (call once, before typing). */
export async function installKeystrokeProbe(page: Page): Promise<void> {
  await page.evaluate(() => {
    const samples: number[] = []
    const remote: boolean[] = []
    const probe = window as unknown as ProbeWindow
    probe.keystrokeSamples = samples
    probe.keystrokeRemote = remote
    probe.remoteChanges = 0
    interface ProbeEditor {
      on(
        event: 'transaction',
        listener: (props: { transaction: { getMeta(key: string): unknown } }) => void,
      ): void
    }
    const editor = (
      document.querySelector('.ProseMirror') as (Element & { editor?: ProbeEditor }) | null
    )?.editor
    editor?.on('transaction', ({ transaction }) => {
      const meta = transaction.getMeta('y-sync$') as { isChangeOrigin?: boolean } | undefined
      if (meta?.isChangeOrigin === true) probe.remoteChanges += 1
    })
    document.addEventListener(
      'keydown',
      (event) => {
        const start = event.timeStamp
        const remoteBefore = probe.remoteChanges
        requestAnimationFrame(() => {
          const channel = new MessageChannel()
          channel.port1.onmessage = () => {
            samples.push(performance.now() - start)
            remote.push(probe.remoteChanges !== remoteBefore)
          }
          channel.port2.postMessage(null)
        })
      },
      true,
    )
  })
}

/**
 * The samples of a run: milliseconds, in order, and for each whether a remote change met it; and
 * how many changes made elsewhere the editor received since the probe was installed.
 */
export interface KeystrokeSamples {
  samples: number[]
  remote: boolean[]
  remoteChanges: number
}

/**
 * Types `keystrokes` characters at a person's pace (60 ms apart) where the caret is, waits for
 * every one to be painted, and returns the samples.
 */
export async function typeAndMeasure(page: Page, keystrokes: number): Promise<KeystrokeSamples> {
  await page.keyboard.type('x'.repeat(keystrokes), { delay: 60 })
  return readSamples(page, keystrokes)
}

/** Waits until `page` has recorded `count` samples, and returns them. */
export async function readSamples(page: Page, count: number): Promise<KeystrokeSamples> {
  await page.waitForFunction(
    (wanted) => (window as unknown as ProbeWindow).keystrokeSamples.length >= wanted,
    count,
  )
  return page.evaluate(() => {
    const probe = window as unknown as ProbeWindow
    return {
      samples: probe.keystrokeSamples,
      remote: probe.keystrokeRemote,
      remoteChanges: probe.remoteChanges,
    }
  })
}
