/**
 * The `ws` WebSocket the benchmark's clients use, with the frames a client sends in one
 * synchronous run coalesced into one socket write (cork now, uncork on the next tick).
 *
 * Every replay client of every target shares the benchmark's one process; with plain `ws`, each
 * Yjs update a client sends is its own `write` system call (26,078 of them for friendsforever),
 * which the benchmark process pays for, not the server under test. A browser client would pay
 * the same per message, but on its own machine. Frames are neither reordered nor delayed past the
 * end of the synchronous run that sent them. `BENCH_PLAIN_WS=1` turns the coalescing off.
 */
import type net from 'node:net'
import WebSocket from 'ws'

const PLAIN = process.env.BENCH_PLAIN_WS === '1'

type Sending = new (
  // biome-ignore lint/suspicious/noExplicitAny: a mixin base constructor must take any[] arguments
  ...args: any[]
) => { send(...args: unknown[]): void; readyState: number }

const Corked = class extends (WebSocket as unknown as Sending) {
  private corked = false

  override send(...args: unknown[]): void {
    const socket = (this as unknown as { _socket: net.Socket | null })._socket
    if (!PLAIN && socket && !this.corked && this.readyState === WebSocket.OPEN) {
      this.corked = true
      socket.cork()
      process.nextTick(() => {
        this.corked = false
        socket.uncork()
      })
    }
    super.send(...args)
  }
}

/** `ws`'s WebSocket with per-run write coalescing (see the module comment). */
export const CorkedWebSocket = Corked as unknown as typeof WebSocket
