/**
 * A copy of a live document that client updates are tried on before they reach it (the update
 * gate). Built from the document on first use, kept in step with it through its update events, and
 * dropped when it diverges (after a refused or unreadable update), to be built again on next use.
 */
import * as Y from 'yjs'
import { dropPending } from '../sync/dropPending'

export class ShadowCopy {
  private shadow: Y.Doc | null = null
  private pending = false

  /**
   * `alreadyApplied(origin)` is true for transactions of the document whose updates were each
   * applied to the copy first (a checked client's): the copy is not given them again. `prepare`
   * runs on each new copy before it is filled (to give its roots their types, so that the types a
   * transaction reports as changed are the ones a reader gets).
   */
  constructor(
    private readonly doc: Y.Doc,
    alreadyApplied: (origin: unknown) => boolean = () => false,
    private readonly prepare: (copy: Y.Doc) => void = () => {},
  ) {
    doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (this.shadow && !alreadyApplied(origin)) Y.applyUpdate(this.shadow, update)
    })
  }

  /** The copy, built from the document now if there is none. */
  current(): Y.Doc {
    if (!this.shadow) {
      this.shadow = new Y.Doc({ gc: false })
      this.prepare(this.shadow)
      Y.applyUpdate(this.shadow, Y.encodeStateAsUpdate(this.doc))
    }
    return this.shadow
  }

  /** True when the last {@link apply} left something Yjs held back (and the copy dropped it). */
  get hadPending(): boolean {
    return this.pending
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
      this.pending = dropPending(shadow)
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
