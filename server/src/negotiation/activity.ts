/**
 * The activity feed's entries: each is appended to the status document inside the transaction of
 * the change it reports (a circulation, shared suggestions, a vote, a reopen request, an agreed
 * clause, a publication), so the feed and the record never disagree.
 */
import { randomUUID } from 'node:crypto'
import { type ActivityEntry, STATUS_ROOTS } from '@onetext/shared/statusDoc'
import type * as Y from 'yjs'

/** Appends an entry (stamped now, with a fresh id) to the status document `statusDoc`. */
export function recordActivity(statusDoc: Y.Doc, entry: Omit<ActivityEntry, 'id' | 'at'>): void {
  statusDoc
    .getArray<ActivityEntry>(STATUS_ROOTS.activity)
    .push([{ id: randomUUID(), at: Date.now(), ...entry }])
}
