/**
 * A WebSocket class whose `send` hands frames to the socket once the page is next idle, in order:
 * a frame an edit produces is then sent after the keystroke's paint, not inside the keystroke
 * (`WebSocket.send` cost about 0.3 ms a call there, docs/BENCHMARKS.md).
 *
 * Idle callbacks run after the frame a keystroke asked for is painted, and they ask for no frame
 * of their own (a `requestAnimationFrame` would make the browser run one more frame for each
 * frame sent from an idle moment, such as the caret's position). Where the browser has no idle
 * callbacks, frames wait for the next paint instead. While the page is hidden they are sent at
 * once, and none waits longer than {@link SEND_AFTER_PAINT_LIMIT_MS}.
 */

/** The longest a frame waits before it is sent anyway, in milliseconds. */
export const SEND_AFTER_PAINT_LIMIT_MS = 50

type SocketConstructor = new (...args: never[]) => { send(data: never): void }

/** Calls `callback` once the page is next idle, or after the next paint where there is no such thing. */
function whenIdle(callback: () => void): void {
  if (typeof requestIdleCallback === 'function') {
    requestIdleCallback(callback, { timeout: SEND_AFTER_PAINT_LIMIT_MS })
    return
  }
  const limit = setTimeout(callback, SEND_AFTER_PAINT_LIMIT_MS)
  requestAnimationFrame(() => {
    // A message posted from a frame's callback is handled after that frame is painted.
    const channel = new MessageChannel()
    channel.port1.onmessage = () => {
      clearTimeout(limit)
      callback()
    }
    channel.port2.postMessage(null)
  })
}

/** A subclass of `Base` whose `send` waits for the page to be idle (see the module's comment). */
export function sendAfterPaint<T extends SocketConstructor>(Base: T): T {
  type Mixable = new (
    // biome-ignore lint/suspicious/noExplicitAny: a mixin base constructor must take any[] arguments
    ...args: any[]
  ) => { send(data: unknown): void; readyState: number }
  const Deferred = class extends (Base as unknown as Mixable) {
    private queued: unknown[] = []
    private scheduled = false

    override send(data: unknown): void {
      if (document.visibilityState !== 'visible' && this.queued.length === 0) {
        super.send(data)
        return
      }
      this.queued.push(data)
      if (this.scheduled) return
      this.scheduled = true
      let done = false
      whenIdle(() => {
        if (done) return
        done = true
        this.scheduled = false
        const frames = this.queued
        this.queued = []
        // A socket that closed meanwhile drops them, as it would have a moment later; the
        // provider's next sync carries what they held.
        if (this.readyState !== 1) return
        for (const frame of frames) super.send(frame)
      })
    }
  }
  return Deferred as unknown as T
}
