/**
 * A WebSocket class whose `send` hands frames to the socket once the page is next idle, in order:
 * a frame an edit produces is then sent after the keystroke's paint, not inside the keystroke
 * (`WebSocket.send` cost about 0.3 ms a call there, docs/BENCHMARKS.md).
 *
 * Idle callbacks run after the frame a keystroke asked for is painted, and they ask for no frame
 * of their own (a `requestAnimationFrame` would make the browser run one more frame for each
 * frame sent from an idle moment, such as the caret's position). Where the browser has no idle
 * callbacks, frames wait for the next paint instead. While the page is hidden they are sent at
 * once, and none waits longer than {@link SEND_AFTER_PAINT_LIMIT_MS}; closing the socket or leaving
 * the page sends them at once.
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

/** Sockets holding frames back right now, flushed together when the page is being left. */
const holding = new Set<{ flush(): void }>()
let leaveListener = false

/**
 * Hands every frame any socket holds back to its socket now (before a command that must act on
 * everything the user did: see CollabSession.clientState).
 */
export function flushHeldFrames(): void {
  for (const socket of Array.from(holding)) socket.flush()
}

/** Sends what every socket holds back, once the page is being left (listens from the first use). */
function flushWhenLeaving(): void {
  if (leaveListener || typeof window === 'undefined') return
  leaveListener = true
  window.addEventListener('pagehide', flushHeldFrames)
}

/**
 * A subclass of `Base` whose `send` waits for the page to be idle (see the module's comment).
 * Closing the socket, or leaving the page, sends what it holds first: a frame handed to `send`
 * reaches the server as it would have without the wait (an edit typed just before the editor
 * closes its document is not lost).
 */
export function sendAfterPaint<T extends SocketConstructor>(Base: T): T {
  type Mixable = new (
    // biome-ignore lint/suspicious/noExplicitAny: a mixin base constructor must take any[] arguments
    ...args: any[]
  ) => {
    send(data: unknown): void
    close(code?: number, reason?: string): void
    readyState: number
  }
  const Deferred = class extends (Base as unknown as Mixable) {
    private queued: unknown[] = []
    /** Bumped by every flush, so that an idle callback scheduled before one does nothing. */
    private generation = 0

    override send(data: unknown): void {
      if (document.visibilityState !== 'visible' && this.queued.length === 0) {
        super.send(data)
        return
      }
      this.queued.push(data)
      if (this.queued.length > 1) return
      holding.add(this)
      flushWhenLeaving()
      const generation = this.generation
      whenIdle(() => {
        if (generation === this.generation) this.flush()
      })
    }

    override close(code?: number, reason?: string): void {
      this.flush()
      super.close(code, reason)
    }

    /** Hands every held frame to the socket, in order (dropped if it is no longer open). */
    flush(): void {
      this.generation++
      holding.delete(this)
      const frames = this.queued
      if (frames.length === 0) return
      this.queued = []
      // A socket that closed meanwhile drops them, as it would have a moment later; the
      // provider's next sync carries what they held.
      if (this.readyState !== 1) return
      for (const frame of frames) super.send(frame)
    }
  }
  return Deferred as unknown as T
}
