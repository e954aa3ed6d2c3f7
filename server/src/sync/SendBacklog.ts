/**
 * What one connection has waiting to be written to it, and the limits on it. A client that reads
 * too slowly (a stalled network, a suspended laptop) would otherwise make the server hold every
 * frame sent to it; past either limit the connection is dropped, and the client, on reconnecting,
 * gets everything it lacks in one sync answer.
 */
import type { Writable } from 'node:stream'
import { MAX_BUFFERED_BYTES, MAX_BUFFERED_FRAMES } from '@onetext/shared/limits'

/** Limits on one connection's unsent frames. */
export interface BacklogLimits {
  /** Bytes waiting in the socket (payload and framing). Default MAX_BUFFERED_BYTES. */
  maxBytes: number
  /** Frames sent while the socket was backed up, since it last drained. Default MAX_BUFFERED_FRAMES. */
  maxFrames: number
}

/** The limits of shared/src/limits.ts. */
export const DEFAULT_BACKLOG_LIMITS: BacklogLimits = {
  maxBytes: MAX_BUFFERED_BYTES,
  maxFrames: MAX_BUFFERED_FRAMES,
}

export class SendBacklog {
  private frames = 0

  constructor(
    private readonly socket: Writable,
    private readonly limits: BacklogLimits = DEFAULT_BACKLOG_LIMITS,
  ) {
    socket.on('drain', () => {
      this.frames = 0
    })
  }

  /**
   * Counts a frame about to be sent, given the bytes already waiting. False when the connection
   * is past a limit: the caller must not send, and should drop the connection.
   */
  admit(bufferedBytes: number): boolean {
    if (bufferedBytes > this.limits.maxBytes || this.frames >= this.limits.maxFrames) return false
    if (this.socket.writableNeedDrain) this.frames++
    return true
  }
}
