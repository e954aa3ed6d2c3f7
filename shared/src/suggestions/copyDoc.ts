/**
 * What a party's suggestion copy (`<neg>.suggest.<party>.<N>`, docs/PROTOCOL.md "Suggestion
 * copies") holds. Its members edit the copy of Single Text N; what they suggest is computed by
 * comparing it with iteration N, and who suggested it is read from roots only the server writes:
 *
 * | root | type | written by | holds |
 * | --- | --- | --- | --- |
 * | `default` | Y.XmlFragment | members | the party's copy of iteration N (seeded by the server) |
 * | `rationales` | Y.Map clauseId → Y.Text | members | the party's rationale per clause |
 * | `attribution` | Y.Map clientId → {@link AttributionEntry} | server | who owns each Yjs client ID |
 * | `journal` | Y.Array of {@link JournalEntry} | server | who deleted seed text, and when text was typed |
 * | `seed` | Y.Map ({@link SeedRecord}) | server | the client ID and iteration the copy was seeded with |
 *
 * No Node imports: the browser reads these too.
 */
import type * as Y from 'yjs'

/** Root map of the party's rationales, keyed by clause id. */
export const RATIONALES_ROOT = 'rationales'
/** Root map (server only) of who owns each client ID that wrote in the copy. */
export const ATTRIBUTION_ROOT = 'attribution'
/** Root array (server only) of deletion records and insertion-time checkpoints. */
export const JOURNAL_ROOT = 'journal'
/** Root map (server only) of how the copy was seeded. */
export const SEED_ROOT = 'seed'

/** The owner of one client ID, as the server recorded when it first accepted an update under it. */
export interface AttributionEntry {
  userId: string
  name: string
}

/**
 * One journal record. `k: 'd'`: user `u` (named `n` then) deleted `l` items of client `c` from
 * clock `s` (seed text) at time `t` (ms); a deletion writes no item, so its author may own no client
 * in `attribution` and the name is kept here. `k: 'i'`: items of client `c` from clock `s` on were
 * typed from time `t` on (until the next checkpoint of `c`), by user `u`.
 */
export type JournalEntry =
  | { k: 'd'; c: number; s: number; l: number; u: string; n?: string; t: number }
  | { k: 'i'; c: number; s: number; u: string; t: number }

/** How the copy was seeded: the client ID the seed was written under, and the iteration it copies. */
export interface SeedRecord {
  client: number
  iteration: number
}

/** The seed record of a copy, or null before it is seeded (or when it does not read). */
export function readSeed(doc: Y.Doc): SeedRecord | null {
  const seed = doc.getMap<unknown>(SEED_ROOT)
  const client = seed.get('client')
  const iteration = seed.get('iteration')
  if (typeof client !== 'number' || typeof iteration !== 'number') return null
  return { client, iteration }
}

/** The owner recorded for `client`, or null (the server's own clients have none). */
export function readAttribution(doc: Y.Doc, client: number): AttributionEntry | null {
  const entry = doc.getMap<unknown>(ATTRIBUTION_ROOT).get(String(client))
  if (typeof entry !== 'object' || entry === null) return null
  const { userId, name } = entry as Record<string, unknown>
  if (typeof userId !== 'string' || typeof name !== 'string') return null
  return { userId, name }
}

function isJournalEntry(value: unknown): value is JournalEntry {
  if (typeof value !== 'object' || value === null) return false
  const entry = value as Record<string, unknown>
  const common =
    typeof entry.c === 'number' &&
    typeof entry.s === 'number' &&
    typeof entry.u === 'string' &&
    typeof entry.t === 'number'
  if (entry.k === 'd')
    return (
      common &&
      typeof entry.l === 'number' &&
      (entry.n === undefined || typeof entry.n === 'string')
    )
  return entry.k === 'i' && common
}

/** The copy's journal records in the order written (entries that do not read are left out). */
export function readJournal(doc: Y.Doc): JournalEntry[] {
  return doc.getArray<unknown>(JOURNAL_ROOT).toArray().filter(isJournalEntry)
}
