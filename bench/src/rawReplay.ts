/**
 * Replays a trace in-process with plain Yjs: no network, no disk. Each agent edits its own Y.Doc,
 * which holds exactly the transactions its next one was made on (its ancestors), so positions mean
 * what they meant when the trace was recorded. Every transaction's Yjs update is recorded (the
 * networked replay sends the same updates) and applied to one "remote" Y.Doc, the minimum work a
 * collaborative system does.
 *
 * The text lives where a OneText working draft accepts it: a base document (written under
 * {@link BASE_CLIENT}) puts two blocks in the rich text (`default`), a paragraph holding the
 * trace's start content in its Y.XmlText, then a one-item ordered list, a place only for marking
 * transactions. Agent i writes under client ID `AGENT_CLIENT_BASE + i`, so a receiver knows which
 * of an agent's transactions it has from that ID's clock in its state vector (compared with
 * {@link RawReplay.clocks}). A transaction that inserts nothing (delete-only or empty) would not
 * advance the clock; such a transaction also sets the marker list's `start` attribute, which adds
 * no text and advances the clock by one. (An attribute replaces its last value in place: marks
 * inserted into and deleted from a list of children would leave a tombstone each, which every
 * later mark, and every check of that list, walks over.)
 */

import { RICH_TEXT_FIELD } from '@onetext/shared/schema'
import * as Y from 'yjs'
import { blocksBy, newParagraph, paragraphTextBy, plainText } from './richText'
import type { Patch, Trace } from './traces'

/** Client ID of the base document (the trace and marker paragraphs, the start content). */
export const BASE_CLIENT = 1

/** What the raw replay produced. */
export interface RawReplay {
  seconds: number
  /** The base document every client needs before the first transaction (see the module comment). */
  baseState: Uint8Array
  /** {@link BASE_CLIENT}'s clock once a document holds the whole base. */
  baseClock: number
  /** The Yjs update of each transaction, by trace index. */
  updates: Uint8Array[]
  /** Each transaction's rank among its agent's transactions. */
  ranks: Int32Array
  /** Each transaction's agent's clock after it: a document whose clock of the agent is at least this has it. */
  clocks: Int32Array
  finalText: string
}

/** The Y.XmlText holding the trace's text in `doc` (null before the base arrived). */
export function traceText(doc: Y.Doc): Y.XmlText | null {
  return paragraphTextBy(doc, BASE_CLIENT, 0)
}

/** The marker list: an ordered list whose `start` marks transactions that insert nothing. */
type MarkerList = Y.XmlElement<{ start: number }>

/** The marker list in `doc` (null before the base arrived). */
export function markerBlock(doc: Y.Doc): MarkerList | null {
  return (blocksBy(doc, BASE_CLIENT)[1] as MarkerList | undefined) ?? null
}

/** The trace's text in `doc`, or null when `doc` has no trace paragraph. */
export function traceString(doc: Y.Doc): string | null {
  const text = traceText(doc)
  return text ? plainText(text) : null
}

/** True when `doc` holds the whole base document. */
export function hasBase(doc: Y.Doc, baseClock: number): boolean {
  return Y.getState(doc.store, BASE_CLIENT) >= baseClock
}

/** Resolves once `doc` holds the whole base document (checked on each of its updates). */
export function whenHasBase(doc: Y.Doc, baseClock: number): Promise<void> {
  return new Promise((resolve) => {
    const check = () => {
      if (!hasBase(doc, baseClock)) return
      doc.off('update', check)
      resolve()
    }
    doc.on('update', check)
    check()
  })
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

/**
 * Applies patches to a Y.Text (or a Y.XmlText, which is one), converting code points to UTF-16 when
 * the trace needs it.
 */
export function applyPatches(text: Y.Text, patches: readonly Patch[], astral: boolean): void {
  for (const [position, deleteCount, insert] of patches) {
    if (!astral) {
      if (deleteCount > 0) text.delete(position, deleteCount)
      if (insert) text.insert(position, insert)
      continue
    }
    const current = Y.Text.prototype.toString.call(text)
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

/** The largest value the marker list's `start` takes (the schema's limit for a list's start). */
const MAX_MARK = 1_000_000

/** The base document: the trace paragraph holding `startContent`, then the marker list. */
function baseDocument(startContent: string): Y.Doc {
  const base = new Y.Doc()
  base.clientID = BASE_CLIENT
  const marker: MarkerList = new Y.XmlElement('orderedList')
  const item = new Y.XmlElement('listItem')
  item.insert(0, [newParagraph().paragraph])
  marker.insert(0, [item])
  // Yjs types a fragment's children as elements with string attributes; the list's are numbers.
  const blocks = [newParagraph(startContent).paragraph, marker as unknown as Y.XmlElement]
  base.getXmlFragment(RICH_TEXT_FIELD).insert(0, blocks)
  marker.setAttribute('start', 1)
  return base
}

/** Runs the raw replay. */
export function rawReplay(trace: Trace): RawReplay {
  const astral = traceNeedsCodePoints(trace)
  const started = performance.now()
  const base = baseDocument(trace.startContent)
  const baseState = Y.encodeStateAsUpdate(base)
  const baseClock = Y.getState(base.store, BASE_CLIENT)
  const agents = Array.from({ length: trace.numAgents }, (_, agentIndex) => {
    const doc = new Y.Doc()
    doc.clientID = AGENT_CLIENT_BASE + agentIndex
    Y.applyUpdate(doc, baseState)
    const text = traceText(doc)
    const marker = markerBlock(doc)
    if (!text || !marker) throw new Error('the base document has no trace paragraph or marker list')
    return { doc, text, marker, applied: new Uint8Array(trace.txns.length), rank: 0 }
  })
  const remote = new Y.Doc()
  Y.applyUpdate(remote, baseState)
  const updates: Uint8Array[] = new Array(trace.txns.length)
  const ranks = new Int32Array(trace.txns.length)
  const clocks = new Int32Array(trace.txns.length)
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
    const store = agent.doc.store
    const client = agent.doc.clientID
    agent.doc.transact(() => {
      const before = Y.getState(store, client)
      applyPatches(agent.text, txn.patches, astral)
      if (Y.getState(store, client) === before) {
        // Inserted nothing: mark the transaction (see the module comment).
        agent.marker.setAttribute('start', (agent.rank % MAX_MARK) + 1)
      }
    })
    agent.doc.off('update', capture)
    clocks[index] = Y.getState(store, client)
    agent.rank++
    agent.applied[index] = 1
    updates[index] = update ?? new Uint8Array([0, 0])
    Y.applyUpdate(remote, updates[index] as Uint8Array)
  })
  const seconds = (performance.now() - started) / 1000
  return {
    seconds,
    baseState,
    baseClock,
    updates,
    ranks,
    clocks,
    finalText: traceString(remote) ?? '',
  }
}
