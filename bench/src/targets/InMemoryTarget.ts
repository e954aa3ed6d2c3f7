/**
 * What the comparison servers (Hocuspocus, the y-websocket reference server) have in common as
 * replay targets: a child process that keeps documents in memory only, so nothing is acknowledged
 * as stored and there is nothing to reload.
 */
import type { ReplayClient, ReplayTarget } from '../replayEngine'
import type { ChildServer } from './childServer'
import type { ClientSpec } from './clientSpec'

export abstract class InMemoryTarget implements ReplayTarget {
  abstract readonly name: string
  protected server: ChildServer | null = null

  abstract start(): Promise<void>

  /** A client of this server's own kind, connected to the benchmark document. */
  protected abstract client(): ReplayClient

  /** How a client in another process connects (writers and observers alike). */
  abstract clientSpec(): ClientSpec

  get pid(): number {
    return this.server?.child.pid ?? 0
  }

  async writer(): Promise<ReplayClient> {
    return this.client()
  }

  async observer(): Promise<ReplayClient> {
    return this.client()
  }

  async verifyReload(): Promise<null> {
    return null
  }

  async stop(): Promise<void> {
    await this.server?.stop()
    this.server = null
  }
}
