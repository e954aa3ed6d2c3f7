/**
 * What the update gate costs a keystroke, apart from everything else the server does: a real
 * editing trace's updates (as the replay sends them, into a working draft's paragraph) applied to a
 * Y.Doc directly, against the same updates offered to the server's gate for a working draft first
 * (structure, client-ID ownership, what they build on, nesting, then the rich-text schema and the
 * clause locks on the gate's copy) and applied as the server applies them. Both in this process, in
 * alternating rounds, each document with an update listener as on the server, so the difference is
 * the gate.
 */
import type { PresenceUser } from '@onetext/shared/apiTypes'
import * as Y from 'yjs'
import { ClientOwners } from '../../server/src/gate/ClientOwners'
import { UpdateGate } from '../../server/src/gate/UpdateGate'
import { documentProfile } from '../../server/src/negotiation/documentProfiles'
import { MemoryDocumentStore } from '../../server/src/storage/MemoryDocumentStore'
import { PersistenceQueue } from '../../server/src/sync/PersistenceQueue'
import { rawReplay } from './rawReplay'
import { median, round } from './stats'
import type { Trace } from './traces'

/** What the run measured; the JSON object the command prints last. */
export interface GateCostResult {
  trace: string
  updates: number
  rounds: number
  /** Median over rounds of the time per update, applying it alone. */
  applyUs: number
  /** Median over rounds of the time per update, through the gate and then applied. */
  gatedUs: number
  /** `gatedUs - applyUs`: what the gate adds to one update. */
  gateUs: number
  /** Updates the gate refused (0 for an honest trace). */
  refused: number
}

const AUTHOR: PresenceUser = {
  id: 'bench-mediator',
  name: 'Mediator',
  color: '#000000',
  role: 'mediator',
  partyId: null,
}

/**
 * Stands for the server's own listener (which relays and stores each update): with a listener Yjs
 * encodes every transaction's update, as it does on the server with or without the gate.
 */
function relay(_update: Uint8Array): void {}

const NO_LOCKS: ReadonlySet<string> = new Set()

/** Applies every update to a fresh document; milliseconds. */
function applyAlone(base: Uint8Array, updates: readonly Uint8Array[]): number {
  const doc = new Y.Doc()
  Y.applyUpdate(doc, base)
  doc.on('update', relay)
  const origin = {}
  const started = performance.now()
  for (const update of updates) Y.applyUpdate(doc, update, origin)
  const ms = performance.now() - started
  doc.destroy()
  return ms
}

/** Offers every update to a working draft's gate and applies what it accepts; milliseconds and refusals. */
async function applyGated(
  base: Uint8Array,
  updates: readonly Uint8Array[],
): Promise<{ ms: number; refused: number }> {
  const doc = new Y.Doc()
  const store = new MemoryDocumentStore()
  const persistence = new PersistenceQueue(store)
  const owners = await ClientOwners.load('bench.draft', store, persistence)
  const profile = documentProfile('bench.draft', () => NO_LOCKS)
  if (!profile) throw new Error('no profile for a working draft')
  const gate = new UpdateGate(doc, owners, profile)
  doc.on('update', relay)
  const origin = {}
  const offer = (update: Uint8Array): boolean => {
    const verdict = gate.check(update, AUTHOR, origin)
    if (verdict.refused) return false
    Y.applyUpdate(doc, verdict.accepted, origin)
    gate.applied(AUTHOR)
    return true
  }
  if (!offer(base)) throw new Error('the gate refused the base document')
  let refused = 0
  const started = performance.now()
  for (const update of updates) if (!offer(update)) refused++
  const ms = performance.now() - started
  gate.destroy()
  owners.destroy()
  doc.destroy()
  return { ms, refused }
}

/** Runs `rounds` alternating rounds of both over `trace`. */
export async function gateCost(trace: Trace, rounds = 5): Promise<GateCostResult> {
  const raw = rawReplay(trace)
  const applyUs: number[] = []
  const gatedUs: number[] = []
  let refused = 0
  for (let round = 0; round < rounds; round++) {
    const gated = await applyGated(raw.baseState, raw.updates)
    refused = Math.max(refused, gated.refused)
    gatedUs.push((gated.ms * 1000) / raw.updates.length)
    applyUs.push((applyAlone(raw.baseState, raw.updates) * 1000) / raw.updates.length)
  }
  const apply = median(applyUs)
  const gated = median(gatedUs)
  return {
    trace: trace.name,
    updates: raw.updates.length,
    rounds,
    applyUs: round(apply, 2),
    gatedUs: round(gated, 2),
    gateUs: round(gated - apply, 2),
    refused,
  }
}
