/**
 * A check a live document runs on every update a client sends, before applying it. The working
 * draft uses one to refuse changes to tentatively agreed clauses (DraftGuard); the documents that
 * hold annotations and proposals use one to refuse changes made in somebody else's name (EntryGuard).
 */
import type { PresenceUser } from '@onetext/shared/apiTypes'

export interface UpdateValidator {
  /** What the client is told when an update is refused (error 4, `refused`). */
  readonly refusal: string
  /**
   * True to apply `update`, sent by `author` (the connection's server-stamped identity); false
   * refuses it (it is dropped, and the client is told).
   */
  accept(update: Uint8Array, author: PresenceUser): boolean
}
