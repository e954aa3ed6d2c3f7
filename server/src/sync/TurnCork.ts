/**
 * Coalesces a turn's outgoing frames per socket. The first frame sent to a socket in an event-loop
 * turn corks the socket; at the end of the turn (a `setImmediate`, after the I/O callbacks of the
 * turn) every corked socket is uncorked, so that all the frames one client is sent in one turn
 * (broadcast updates, awareness, acknowledgements) leave in one `writev` instead of one system
 * call each. The websocket framing is unchanged: each frame is still its own websocket message.
 */
import type { Writable } from 'node:stream'

export class TurnCork {
  private readonly corked = new Set<Writable>()
  private scheduled = false

  /** Holds `socket`'s writes until the end of the current turn (no-op if already held). */
  hold(socket: Writable): void {
    if (this.corked.has(socket) || socket.destroyed) return
    socket.cork()
    this.corked.add(socket)
    if (!this.scheduled) {
      this.scheduled = true
      setImmediate(this.release)
    }
  }

  /** Sockets held right now (for tests and metrics). */
  get size(): number {
    return this.corked.size
  }

  private readonly release = (): void => {
    this.scheduled = false
    const sockets = Array.from(this.corked)
    this.corked.clear()
    for (const socket of sockets) socket.uncork()
  }
}
