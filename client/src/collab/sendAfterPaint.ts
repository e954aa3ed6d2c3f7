/**
 * A WebSocket class whose `send` hands frames to the socket after the page has painted, in order:
 * a frame an edit produces is then sent after the keystroke's paint, not inside the keystroke.
 * While the page is hidden (no frames are painted), and when no paint comes within
 * {@link SEND_AFTER_PAINT_LIMIT_MS}, frames are sent at once or on that timer.
 */

/** The longest a frame waits for a paint before it is sent anyway, in milliseconds. */
export const SEND_AFTER_PAINT_LIMIT_MS = 50

type SocketConstructor = new (...args: never[]) => { send(data: never): void }

/** A subclass of `Base` whose `send` waits for the next paint (see the module's comment). */
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
      const flush = () => {
        if (done) return
        done = true
        clearTimeout(limit)
        this.scheduled = false
        const frames = this.queued
        this.queued = []
        // A socket that closed meanwhile drops them, as it would have a moment later; the
        // provider's next sync carries what they held.
        if (this.readyState !== 1) return
        for (const frame of frames) super.send(frame)
      }
      const limit = setTimeout(flush, SEND_AFTER_PAINT_LIMIT_MS)
      requestAnimationFrame(() => {
        // A message posted from a frame's callback is handled after that frame is painted.
        const channel = new MessageChannel()
        channel.port1.onmessage = flush
        channel.port2.postMessage(null)
      })
    }
  }
  return Deferred as unknown as T
}
