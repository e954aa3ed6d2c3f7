/**
 * Whether an editor transaction came from the Yjs binding (someone else's change, or an undo
 * applied through Yjs) rather than from this person's editing: plugins that react to local edits
 * (clause ids, locks) leave those alone.
 */
import type { Transaction } from '@tiptap/pm/state'
import { ySyncPluginKey } from '@tiptap/y-tiptap'

/** True when y-tiptap's sync plugin made `transaction` from a change of the Y.Doc. */
export function isRemoteTransaction(transaction: Transaction): boolean {
  const meta = transaction.getMeta(ySyncPluginKey) as { isChangeOrigin?: boolean } | undefined
  return meta?.isChangeOrigin === true
}
