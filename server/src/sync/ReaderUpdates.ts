/**
 * What a read-only connection's document messages are answered with (docs/PROTOCOL.md, "Sync"):
 * nothing of them is applied. An update that writes structs gets error 1 once (one that only
 * deletes is Yjs tidying redundant formatting in the reader's copy); a sync step 2 showing that
 * the reader's copy holds what the server's lacks gets `refused`, so that the reader rebuilds from
 * the server's copy instead of keeping a change the server lost.
 */
import { ErrorCode, RefusalReason, writeError, writeRefused } from '@onetext/shared/protocol'
import type * as Y from 'yjs'
import { holdsUnknown } from '../gate/holdsUnknown'
import { MalformedUpdate } from '../gate/SafeDecoder'
import { readUpdateStructure } from '../gate/updateStructure'

/** An update with no structs and no deletions (Yjs encodes one as two zero bytes). */
const EMPTY_UPDATE_LENGTH = 2

/** Where a reader's answers go: its socket, the server's log, its malformed-message count. */
export interface ReaderSink {
  send(frame: Uint8Array): void
  log(line: string): void
  malformed(detail: string): void
}

export class ReaderUpdates {
  private readOnlyReported = false

  constructor(private readonly sink: ReaderSink) {}

  /** Answers frame number `frame`, a sync step 2 (`stepTwo`) or update, against `doc`. */
  receive(doc: Y.Doc, stepTwo: boolean, update: Uint8Array, frame: number): void {
    if (update.byteLength <= EMPTY_UPDATE_LENGTH) return
    try {
      if (stepTwo) this.checkCopy(doc, update, frame)
      else if (!this.readOnlyReported) this.reportReadOnly(update)
    } catch (error) {
      if (!(error instanceof MalformedUpdate)) throw error
      this.sink.malformed(error.message)
    }
  }

  private reportReadOnly(update: Uint8Array): void {
    if (readUpdateStructure(update).written.size === 0) return
    this.readOnlyReported = true
    this.sink.send(writeError(ErrorCode.readOnly, 'You can read this document but not change it.'))
  }

  private checkCopy(doc: Y.Doc, update: Uint8Array, frame: number): void {
    if (!holdsUnknown(doc, update)) return
    this.sink.log(`reader copy differs: frame ${frame}`)
    this.sink.send(
      writeRefused(
        frame,
        RefusalReason.buildsOnRefused,
        "Your copy held changes the server does not have (it stopped before saving them); it was replaced by the server's copy.",
      ),
    )
  }
}
