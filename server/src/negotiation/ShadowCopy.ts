/**
 * A copy of a live document that client updates are tried on before they reach it (the draft guard
 * and the entry guard). Built from the document on first use, kept in step with it through
 * its update events, and dropped when it diverges (after a refused or unreadable update), to be
 * built again on next use.
 */
import * as Y from 'yjs'
import { dropPending } from '../sync/dropPending'

export class ShadowCopy {
  private shadow: Y.Doc | null = null

  constructor(private readonly doc: Y.Doc) {
    doc.on('update', (update: Uint8Array) => {
      if (this.shadow) Y.applyUpdate(this.shadow, update)
    })
  }

  /** The copy, built from the document now if there is none. */
  current(): Y.Doc {
    if (!this.shadow) {
      this.shadow = new Y.Doc({ gc: false })
      Y.applyUpdate(this.shadow, Y.encodeStateAsUpdate(this.doc))
    }
    return this.shadow
  }

  /**
   * Applies `update` to the copy. If that throws (an unreadable update may have changed part of
   * it), the copy is dropped and the error rethrown.
   */
  apply(update: Uint8Array): void {
    try {
      const shadow = this.current()
      Y.applyUpdate(shadow, update)
      // The document drops what it cannot apply (see SharedDocument.applyClientUpdates); so does
      // the copy, to stay equal to it.
      dropPending(shadow)
    } catch (error) {
      this.drop()
      throw error
    }
  }

  /** Forgets the copy: it has diverged from the document, or is not needed now. */
  drop(): void {
    this.shadow?.destroy()
    this.shadow = null
  }
}
