/**
 * Building a document from storage when some stored entries cannot be read: they are set aside and
 * the document is built from the rest, never half-applied.
 */
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import {
  acceptEveryEntry,
  buildStoredDocument,
  type EntryCheck,
} from '../../server/src/storage/buildStoredDocument'
import type { StoredDocument } from '../../server/src/storage/DocumentStore'

/** Bytes Yjs refuses with an error ("Integer out of Range"), not a truncation. */
const GARBAGE = new Uint8Array(12).fill(255)

/** The updates a writer's changes produce, one per call of `edit`, as the server logs them. */
function writerLog(clientID: number, edits: Array<(doc: Y.Doc) => void>, start?: Uint8Array) {
  const doc = new Y.Doc()
  doc.clientID = clientID
  if (start) Y.applyUpdate(doc, start)
  const updates: Uint8Array[] = []
  doc.on('update', (update: Uint8Array) => updates.push(update))
  for (const edit of edits) edit(doc)
  return { doc, updates }
}

const append = (root: string, text: string) => (doc: Y.Doc) => {
  const type = doc.getText(root)
  type.insert(type.length, text)
}

function stored(
  updates: Uint8Array[],
  snapshot: Uint8Array | null = null,
  snapshotIntact: boolean | null = null,
): StoredDocument {
  const seqs = updates.map((_, index) => 100 + index)
  return {
    snapshot,
    snapshotSeq: snapshot ? 99 : 0,
    snapshotIntact,
    updates,
    seqs,
    lastSeq: seqs.at(-1) ?? (snapshot ? 99 : 0),
  }
}

describe('buildStoredDocument', () => {
  it('builds a document whose every entry is good in one go, with nothing set aside', () => {
    const { updates } = writerLog(1, [append('t', 'One. '), append('t', 'Two.')])
    const built = buildStoredDocument(stored(updates), acceptEveryEntry)
    expect(built.doc.getText('t').toString()).toBe('One. Two.')
    expect(built.setAside).toEqual([])
    expect(built.tailBytes).toBe(updates.reduce((sum, update) => sum + update.byteLength, 0))
    expect(built.lastSeq).toBe(101)
  })

  it('keeps a document that is exactly its snapshot as that snapshot', () => {
    const { doc } = writerLog(1, [append('t', 'Snapshot.')])
    const snapshot = Y.encodeStateAsUpdate(doc)
    const built = buildStoredDocument(stored([], snapshot), acceptEveryEntry)
    expect(built.exactSnapshot).toBe(snapshot)
    expect(built.snapshotBytes).toBe(snapshot.byteLength)
  })

  it('sets an unreadable log entry aside and loads the entries after it', () => {
    const first = writerLog(1, [append('a', 'Before.')]).updates
    const other = writerLog(2, [append('b', 'After.')]).updates
    const built = buildStoredDocument(stored([...first, GARBAGE, ...other]), acceptEveryEntry)
    expect(built.doc.getText('a').toString()).toBe('Before.')
    expect(built.doc.getText('b').toString()).toBe('After.')
    expect(built.setAside).toEqual([
      {
        kind: 'update',
        seq: 101,
        reason: expect.stringMatching(/^log entry could not be read: Integer out of Range/),
        remove: true,
      },
    ])
    expect(built.truncatedTail).toBe(0)
    expect(built.exactSnapshot).toBeNull()
  })

  it('sets aside what the check refuses, and keeps a copy of what builds on it, applied in part', () => {
    const { updates } = writerLog(1, [append('t', 'Kept. '), append('t', 'Poisoned. ')])
    // A later entry of the same writer builds on the refused one (its text) and adds a root of its own.
    const later = writerLog(
      1,
      [
        (doc) => {
          doc.transact(() => {
            append('t', 'Builds on it.')(doc)
            append('u', 'Independent.')(doc)
          })
        },
      ],
      Y.mergeUpdates(updates),
    ).updates
    const poisoned = updates[1] as Uint8Array
    const check: EntryCheck = (entry) => {
      if (entry === poisoned) throw new RangeError('clock out of range')
    }
    const built = buildStoredDocument(stored([...updates, ...later]), check)
    expect(built.doc.getText('t').toString()).toBe('Kept. ')
    expect(built.setAside).toEqual([
      {
        kind: 'update',
        seq: 102,
        reason: 'applied in part: it builds on an entry that was set aside',
        remove: false,
      },
      {
        kind: 'update',
        seq: 101,
        reason: 'log entry could not be read: clock out of range',
        remove: true,
      },
    ])
    // Nothing is left waiting in the document for structs it will never get.
    expect(built.doc.store.pendingStructs).toBeNull()
    expect(built.doc.store.pendingDs).toBeNull()
  })

  it('sets an unreadable snapshot aside and loads what of the log does not build on it', () => {
    const base = writerLog(1, [append('t', 'In the snapshot.')])
    const snapshot = Y.encodeStateAsUpdate(base.doc)
    const tail = writerLog(2, [append('other', 'Own root.')], snapshot).updates
    const broken = snapshot.slice(0, 3)
    const built = buildStoredDocument(stored(tail, broken), acceptEveryEntry)
    expect(built.doc.getText('other').toString()).toBe('Own root.')
    expect(built.doc.getText('t').toString()).toBe('')
    expect(built.setAside).toEqual([
      {
        kind: 'snapshot',
        seq: 99,
        reason: expect.stringMatching(/^snapshot could not be read/),
        remove: true,
        data: broken,
      },
    ])
    expect(built.snapshotBytes).toBe(0)
  })

  it('sets aside a snapshot whose bytes no longer match its checksum, even one Yjs would read', () => {
    const { doc } = writerLog(1, [append('t', 'Altered after it was written.')])
    const snapshot = Y.encodeStateAsUpdate(doc)
    const built = buildStoredDocument(stored([], snapshot, false), acceptEveryEntry)
    expect(built.doc.getText('t').toString()).toBe('')
    expect(built.setAside).toEqual([
      {
        kind: 'snapshot',
        seq: 99,
        reason: 'snapshot could not be read: its bytes do not match the checksum written with it',
        remove: true,
        data: snapshot,
      },
    ])
  })

  it('cuts a truncated log tail, undoing what the cut entry had applied before it failed', () => {
    const { updates } = writerLog(1, [append('t', 'Whole. '), append('t', 'Cut short.')])
    const whole = updates[1] as Uint8Array
    // Yjs integrates this entry's structs, then fails reading its delete set.
    const truncated = whole.subarray(0, whole.byteLength - 1)
    const built = buildStoredDocument(
      stored([updates[0] as Uint8Array, truncated]),
      acceptEveryEntry,
    )
    expect(built.doc.getText('t').toString()).toBe('Whole. ')
    expect(built.truncatedTail).toBe(1)
    expect(built.setAside).toEqual([
      {
        kind: 'update',
        seq: 101,
        reason: 'truncated log tail: Unexpected end of array',
        remove: true,
      },
    ])
  })
})
