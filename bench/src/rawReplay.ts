/**
 * Replays a trace in-process with plain Yjs: no network, no disk. Each agent edits its own Y.Doc,
 * which holds exactly the transactions its next one was made on (its ancestors), so positions mean
 * what they meant when the trace was recorded. Every transaction's Yjs update is recorded (the
 * networked replay sends the same updates) and applied to one "remote" Y.Doc, the minimum work a
 * collaborative system does. Each transaction also sets `replay[agent] = rank` in a Y.Map, so
 * receivers can tell which transactions they have applied.
 */
import * as Y from 'yjs'
import type { Patch, Trace } from './traces'

/** Root names the replay writes. */
export const TRACE_TEXT = 'trace'
export const TRACE_MARKERS = 'replay'

/** What the raw replay produced. */
export interface RawReplay {
  seconds: number
  /** The Yjs update of each transaction, by trace index. */
  updates: Uint8Array[]
  /** Each transaction's rank among its agent's transactions. */
  ranks: Int32Array
  finalText: string
}

const ASTRAL = /[\u{10000}-\u{10FFFF}]/u

/** UTF-16 index of code point `position` in `text`. */
function utf16Index(text: string, position: number): number {
  let index = 0
  for (let point = 0; point < position && index < text.length; point++) {
    const code = text.charCodeAt(index)
    index += code >= 0xd800 && code <= 0xdbff ? 2 : 1
  }
  return index
}

/** Applies patches to a Y.Text, converting code points to UTF-16 when the trace needs it. */
export function applyPatches(text: Y.Text, patches: readonly Patch[], astral: boolean): void {
  for (const [position, deleteCount, insert] of patches) {
    if (!astral) {
      if (deleteCount > 0) text.delete(position, deleteCount)
      if (insert) text.insert(position, insert)
      continue
    }
    const current = text.toString()
    const start = utf16Index(current, position)
    const end = utf16Index(current, position + deleteCount)
    if (end > start) text.delete(start, end - start)
    if (insert) text.insert(start, insert)
  }
}

/** True when any text of the trace has characters outside the Basic Multilingual Plane. */
export function traceNeedsCodePoints(trace: Trace): boolean {
  return (
    ASTRAL.test(trace.startContent) ||
    trace.txns.some((txn) => txn.patches.some((patch) => ASTRAL.test(patch[2])))
  )
}

/**
 * Yjs orders concurrent insertions at one place by client id. Giving agent i the client id
 * `AGENT_CLIENT_BASE + i` makes the order deterministic; with ascending ids Yjs reproduces the
 * recorded end content of the shipped concurrent trace (descending ids do not).
 */
export const AGENT_CLIENT_BASE = 10

/** Runs the raw replay. */
export function rawReplay(trace: Trace): RawReplay {
  const astral = traceNeedsCodePoints(trace)
  const started = performance.now()
  const base = new Y.Doc()
  if (trace.startContent) base.getText(TRACE_TEXT).insert(0, trace.startContent)
  const baseState = Y.encodeStateAsUpdate(base)
  const agents = Array.from({ length: trace.numAgents }, (_, agentIndex) => {
    const doc = new Y.Doc()
    doc.clientID = AGENT_CLIENT_BASE + agentIndex
    Y.applyUpdate(doc, baseState)
    return { doc, applied: new Uint8Array(trace.txns.length), rank: 0 }
  })
  const remote = new Y.Doc()
  Y.applyUpdate(remote, baseState)
  const updates: Uint8Array[] = new Array(trace.txns.length)
  const ranks = new Int32Array(trace.txns.length)
  const missing: number[] = []
  trace.txns.forEach((txn, index) => {
    const agent = agents[txn.agent]
    if (!agent) throw new RangeError(`transaction ${index}: no agent ${txn.agent}`)
    // Bring the agent's document to exactly this transaction's ancestors.
    missing.length = 0
    const stack = [...txn.parents]
    while (stack.length > 0) {
      const parent = stack.pop() as number
      if (agent.applied[parent]) continue
      agent.applied[parent] = 1
      missing.push(parent)
      for (const grandparent of trace.txns[parent]?.parents ?? []) stack.push(grandparent)
    }
    missing.sort((a, b) => a - b)
    for (const ancestor of missing) Y.applyUpdate(agent.doc, updates[ancestor] as Uint8Array)
    let update: Uint8Array | null = null
    const capture = (bytes: Uint8Array) => {
      update = update ? Y.mergeUpdates([update, bytes]) : bytes
    }
    agent.doc.on('update', capture)
    ranks[index] = agent.rank
    agent.doc.transact(() => {
      applyPatches(agent.doc.getText(TRACE_TEXT), txn.patches, astral)
      agent.doc.getMap<number>(TRACE_MARKERS).set(String(txn.agent), agent.rank)
    })
    agent.doc.off('update', capture)
    agent.rank++
    agent.applied[index] = 1
    updates[index] = update ?? new Uint8Array([0, 0])
    Y.applyUpdate(remote, updates[index] as Uint8Array)
  })
  const seconds = (performance.now() - started) / 1000
  return { seconds, updates, ranks, finalText: remote.getText(TRACE_TEXT).toString() }
}
