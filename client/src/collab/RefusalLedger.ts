/**
 * Remembers the local transactions of a session's document, each one reversible on its own, so that
 * a change the server refused can be taken out of this copy while every later edit stays. It is a
 * Yjs undo manager over the whole document that never merges transactions, keyed by the update each
 * transaction sent: the server names a refused message, the tracker gives back that message's
 * update, and {@link RefusalLedger.revert} undoes exactly the transaction that produced it (its
 * insertions deleted, its deletions restored, whatever came after it kept).
 */
import * as Y from 'yjs'

/** How many of the most recent local transactions are remembered. */
export const LEDGER_SIZE = 2000

type StackItem = Y.UndoManager['undoStack'][number]

/** Every transaction origin counts; which transactions to track is decided by `captureTransaction`. */
class EveryOrigin extends Set<unknown> {
  override has(): boolean {
    return true
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

export class RefusalLedger {
  private readonly manager: Y.UndoManager
  private readonly recent: Array<{ update: Uint8Array; item: StackItem }> = []
  private added: StackItem | null = null

  constructor(private readonly doc: Y.Doc) {
    this.manager = new Y.UndoManager(doc, {
      captureTimeout: 0,
      trackedOrigins: new EveryOrigin(),
      // Local transactions only: a remote update (applied by the provider) is not this copy's change.
      captureTransaction: (transaction) => transaction.local,
    })
    this.manager.on('stack-item-added', this.onAdded)
    doc.on('update', this.onUpdate)
  }

  private readonly onAdded = (event: { stackItem: StackItem; type: 'undo' | 'redo' }): void => {
    if (event.type === 'undo') this.added = event.stackItem
  }

  private readonly onUpdate = (
    update: Uint8Array,
    _origin: unknown,
    _doc: Y.Doc,
    transaction: Y.Transaction,
  ): void => {
    const item = this.added
    this.added = null
    if (!item || !transaction.local) return
    this.recent.push({ update, item })
    if (this.recent.length > LEDGER_SIZE) this.recent.splice(0, this.recent.length - LEDGER_SIZE)
  }

  /**
   * Takes the local transaction whose update was `update` out of the document (in a local
   * transaction of its own, which is not remembered). False when it is not remembered.
   */
  revert(update: Uint8Array): boolean {
    const index = this.recent.findIndex((entry) => sameBytes(entry.update, update))
    if (index < 0) return false
    const [entry] = this.recent.splice(index, 1)
    if (!entry) return false
    const stack = this.manager.undoStack
    this.manager.undoStack = [entry.item]
    try {
      this.manager.undo()
    } finally {
      this.manager.undoStack = stack.filter((item) => item !== entry.item)
      this.manager.redoStack = []
    }
    return true
  }

  /** Stops remembering. */
  destroy(): void {
    this.doc.off('update', this.onUpdate)
    this.manager.destroy()
  }
}
