/**
 * Rewrites awareness updates so that presence identity comes from the server's session, never from
 * the client (docs/SECURITY.md: nothing a client says about itself is trusted). The awareness
 * update format (y-protocols/awareness) is: varUint count, then per entry varUint clientID,
 * varUint clock, varString JSON state.
 */

import type { PresenceUser } from '@onetext/shared/apiTypes'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'

/** Longest awareness state JSON accepted per client (cursor and identity fit in far less). */
export const MAX_AWARENESS_STATE_BYTES = 16 * 1024

/** One entry of a decoded awareness update. */
export interface AwarenessEntry {
  clientID: number
  clock: number
  state: Record<string, unknown> | null
}

/** Decodes an awareness update; throws on malformed input. */
export function decodeAwarenessUpdate(update: Uint8Array): AwarenessEntry[] {
  const decoder = decoding.createDecoder(update)
  const count = decoding.readVarUint(decoder)
  const entries: AwarenessEntry[] = []
  for (let index = 0; index < count; index++) {
    const clientID = decoding.readVarUint(decoder)
    const clock = decoding.readVarUint(decoder)
    const json = decoding.readVarString(decoder)
    if (json.length > MAX_AWARENESS_STATE_BYTES) throw new RangeError('awareness state too large')
    const state: unknown = JSON.parse(json)
    if (state !== null && (typeof state !== 'object' || Array.isArray(state))) {
      throw new TypeError('awareness state must be an object or null')
    }
    entries.push({ clientID, clock, state: state as Record<string, unknown> | null })
  }
  return entries
}

/** Encodes awareness entries in the y-protocols format. */
export function encodeAwarenessUpdate(entries: readonly AwarenessEntry[]): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, entries.length)
  for (const entry of entries) {
    encoding.writeVarUint(encoder, entry.clientID)
    encoding.writeVarUint(encoder, entry.clock)
    encoding.writeVarString(encoder, JSON.stringify(entry.state))
  }
  return encoding.toUint8Array(encoder)
}

/**
 * Replaces the `user` field of every non-null state with `identity`, keeping the rest (cursor,
 * selection). Entries for client IDs that `mayUse` rejects (owned by another connection) are dropped.
 */
export function stampAwarenessUpdate(
  update: Uint8Array,
  identity: PresenceUser,
  mayUse: (clientID: number) => boolean,
): { update: Uint8Array; clientIDs: number[] } {
  const entries = decodeAwarenessUpdate(update).filter((entry) => mayUse(entry.clientID))
  const stamped = entries.map((entry) => ({
    ...entry,
    state: entry.state === null ? null : { ...entry.state, user: { ...identity } },
  }))
  return {
    update: encodeAwarenessUpdate(stamped),
    clientIDs: stamped.map((entry) => entry.clientID),
  }
}
