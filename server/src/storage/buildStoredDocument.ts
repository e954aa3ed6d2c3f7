/**
 * Builds a document's Y.Doc from what storage holds, so that one bad stored entry never makes the
 * document unloadable. Every entry (the snapshot, then each log entry in order) is first offered to
 * a structural check ({@link EntryCheck}: throws on bytes it refuses), then applied. An entry the
 * check refuses, or that throws while being applied, is set aside and the document is built again
 * from the entries before it (an update that threw may have been applied in part). An entry that
 * applies only in part, because what it builds on was set aside, is kept in the document for what
 * did apply and a copy is set aside; the rest of it is dropped (the server never keeps updates
 * waiting for structs it lacks). A run of unreadable entries at the end of the log whose bytes end
 * too early is a truncated tail: cut the same way, and reported as such.
 *
 * The common case (every entry good) applies everything in one transaction, as before; the
 * entry-by-entry build only runs when that fails or leaves something pending.
 */
import * as Y from 'yjs'
import type { SetAsideEntry, StoredDocument } from './DocumentStore'

/**
 * A structural check of one stored entry (a Yjs update): throws (RangeError) when the bytes must not
 * be applied. Plug in the sync gate's update validator here.
 */
export type EntryCheck = (entry: Uint8Array) => void

/** Accepts every entry: applying it is the only check. */
export const acceptEveryEntry: EntryCheck = () => {}

/**
 * Decodes the whole entry (structs and delete set) without applying it: throws on bytes that end
 * too early or do not decode. Cheaper than applying it, and it changes nothing.
 */
export const decodesCompletely: EntryCheck = (entry) => {
  Y.decodeUpdate(entry)
}

/** A document built from storage. */
export interface BuiltDocument {
  doc: Y.Doc
  /** Entries to set aside (see {@link SetAsideEntry}); empty when everything was read. */
  setAside: SetAsideEntry[]
  /** How many of `setAside` are a truncated log tail. */
  truncatedTail: number
  /** Bytes of the snapshot and of the log entries the document was built from. */
  snapshotBytes: number
  tailBytes: number
  /** The stored snapshot when the document is exactly it (a good snapshot, no log entries), else null. */
  exactSnapshot: Uint8Array | null
  /** The stored document's {@link StoredDocument.lastSeq}. */
  lastSeq: number
}

interface Entry {
  kind: 'update' | 'snapshot'
  seq: number
  bytes: Uint8Array
  /** Why the check refused it, or null. */
  refused: string | null
}

/** The message of `error`. */
function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

/** True for the errors lib0 and DataView throw when bytes end before the structure does. */
function endsTooEarly(reason: string): boolean {
  return /unexpected end of (the )?(array|update)|outside the bounds|out of bounds|end of (the )?(buffer|data)/i.test(
    reason,
  )
}

/** Runs `check` on one entry: null when it passes, else why it does not. */
export function refusalOf(entry: Uint8Array, check: EntryCheck): string | null {
  try {
    check(entry)
    return null
  } catch (error) {
    return messageOf(error)
  }
}

/** Builds the document `stored` holds (see the module comment). */
export function buildStoredDocument(stored: StoredDocument, check: EntryCheck): BuiltDocument {
  const entries: Entry[] = []
  if (stored.snapshot) {
    const bytes = stored.snapshot
    const refused =
      stored.snapshotIntact === false
        ? 'its bytes do not match the checksum written with it'
        : refusalOf(bytes, check)
    entries.push({ kind: 'snapshot', seq: stored.snapshotSeq, bytes, refused })
  }
  stored.updates.forEach((bytes, index) => {
    const seq = stored.seqs[index] ?? 0
    entries.push({ kind: 'update', seq, bytes, refused: refusalOf(bytes, check) })
  })

  const setAside: SetAsideEntry[] = []
  const unreadable: Entry[] = []
  for (const entry of entries) if (entry.refused !== null) unreadable.push(entry)
  let good = entries.filter((entry) => entry.refused === null)
  let doc = applyAll(good)
  if (!doc) {
    const rebuilt = buildEntryByEntry(good)
    doc = rebuilt.doc
    good = good.filter((entry) => !rebuilt.failed.has(entry))
    unreadable.push(...rebuilt.failed.keys())
    for (const [entry, reason] of rebuilt.failed) entry.refused = reason
    for (const entry of rebuilt.partial)
      setAside.push({
        kind: entry.kind,
        seq: entry.seq,
        reason: 'applied in part: it builds on an entry that was set aside',
        remove: false,
      })
  }
  const truncated = truncatedTail(entries, new Set(unreadable))
  for (const entry of entries) {
    if (!unreadable.includes(entry)) continue
    const reason = truncated.has(entry)
      ? `truncated log tail: ${entry.refused}`
      : `${entry.kind === 'snapshot' ? 'snapshot' : 'log entry'} could not be read: ${entry.refused}`
    setAside.push({
      kind: entry.kind,
      seq: entry.seq,
      reason,
      remove: true,
      ...(entry.kind === 'snapshot' ? { data: entry.bytes } : {}),
    })
  }
  const snapshotUsed = good.some((entry) => entry.kind === 'snapshot')
  const updates = good.filter((entry) => entry.kind === 'update')
  return {
    doc,
    setAside,
    truncatedTail: truncated.size,
    snapshotBytes: snapshotUsed ? (stored.snapshot?.byteLength ?? 0) : 0,
    tailBytes: updates.reduce((sum, entry) => sum + entry.bytes.byteLength, 0),
    exactSnapshot:
      snapshotUsed && stored.updates.length === 0 && setAside.length === 0 ? stored.snapshot : null,
    lastSeq: stored.lastSeq,
  }
}

/** The document of `entries` applied in one transaction, or null if one threw or left something pending. */
function applyAll(entries: readonly Entry[]): Y.Doc | null {
  const doc = new Y.Doc({ gc: true })
  try {
    doc.transact(() => {
      for (const entry of entries) Y.applyUpdate(doc, entry.bytes)
    })
  } catch {
    doc.destroy()
    return null
  }
  if (hasPending(doc)) {
    doc.destroy()
    return null
  }
  return doc
}

/**
 * Applies `entries` one at a time: an entry that throws is recorded in `failed` (with why) and the
 * document is built again without it; an entry that leaves structs or deletions pending is recorded
 * in `partial` and what is pending is dropped.
 */
function buildEntryByEntry(entries: readonly Entry[]): {
  doc: Y.Doc
  failed: Map<Entry, string>
  partial: Entry[]
} {
  const failed = new Map<Entry, string>()
  const partial: Entry[] = []
  const applied: Entry[] = []
  let doc = new Y.Doc({ gc: true })
  for (const entry of entries) {
    try {
      Y.applyUpdate(doc, entry.bytes)
    } catch (error) {
      failed.set(entry, messageOf(error))
      doc.destroy()
      doc = new Y.Doc({ gc: true })
      // What was applied before applied cleanly then; pending parts are dropped again.
      for (const earlier of applied) {
        Y.applyUpdate(doc, earlier.bytes)
        dropPendingStructs(doc)
      }
      continue
    }
    applied.push(entry)
    if (hasPending(doc)) {
      partial.push(entry)
      dropPendingStructs(doc)
    }
  }
  return { doc, failed, partial }
}

/** The unreadable log entries at the very end of the log whose bytes end too early. */
function truncatedTail(entries: readonly Entry[], unreadable: ReadonlySet<Entry>): Set<Entry> {
  const tail = new Set<Entry>()
  for (let index = entries.length - 1; index >= 0; index--) {
    const entry = entries[index] as Entry
    if (entry.kind !== 'update' || !unreadable.has(entry) || !endsTooEarly(entry.refused ?? ''))
      break
    tail.add(entry)
  }
  return tail
}

function hasPending(doc: Y.Doc): boolean {
  return doc.store.pendingStructs !== null || doc.store.pendingDs !== null
}

function dropPendingStructs(doc: Y.Doc): void {
  doc.store.pendingStructs = null
  doc.store.pendingDs = null
}
