/**
 * A check a live document runs on every update a client sends, before applying it. The working
 * draft uses one to refuse changes to tentatively agreed clauses (DraftGuard).
 */
export interface UpdateValidator {
  /** True to apply `update`; false refuses it (it is dropped, and the client is told). */
  accept(update: Uint8Array): boolean
}
