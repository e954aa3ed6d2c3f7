/**
 * Editing traces (josephg/editing-traces formats) normalised to one shape: transactions, each by an
 * agent, with the indices of the transactions it was made on top of, and its patches
 * `[position, deleteCount, insertText]` in Unicode code points.
 *
 * - sequential: `{startContent, endContent, txns: [{patches}]}`: one agent, each txn on the previous.
 * - concurrent: `{kind: "concurrent", numAgents, endContent, txns: [{parents, agent, patches}]}`.
 */
import fs from 'node:fs'
import { gunzipSync } from 'node:zlib'

/** One patch: at code point `position`, delete `deleteCount` code points, insert `insert`. */
export type Patch = [position: number, deleteCount: number, insert: string]

/** A normalised transaction. */
export interface TraceTxn {
  agent: number
  parents: number[]
  patches: Patch[]
}

/** A normalised trace. */
export interface Trace {
  name: string
  kind: 'sequential' | 'concurrent'
  numAgents: number
  startContent: string
  endContent: string
  txns: TraceTxn[]
  /** Total number of patches. */
  ops: number
}

function isPatch(value: unknown): value is Patch {
  return (
    Array.isArray(value) &&
    value.length === 3 &&
    Number.isInteger(value[0]) &&
    Number.isInteger(value[1]) &&
    typeof value[2] === 'string'
  )
}

/** Parses a trace's JSON value; throws RangeError on anything that is not one of the two formats. */
export function parseTrace(name: string, value: unknown): Trace {
  if (typeof value !== 'object' || value === null)
    throw new RangeError(`${name}: not a JSON object`)
  const raw = value as Record<string, unknown>
  if (typeof raw.endContent !== 'string' || !Array.isArray(raw.txns)) {
    throw new RangeError(`${name}: a trace needs endContent and txns`)
  }
  const concurrent = raw.kind === 'concurrent'
  let ops = 0
  const txns: TraceTxn[] = raw.txns.map((entry: unknown, index: number) => {
    const txn = entry as Record<string, unknown>
    if (!Array.isArray(txn.patches) || !txn.patches.every(isPatch)) {
      throw new RangeError(`${name}: transaction ${index} has malformed patches`)
    }
    ops += txn.patches.length
    if (!concurrent)
      return { agent: 0, parents: index === 0 ? [] : [index - 1], patches: txn.patches }
    const parents = txn.parents
    if (
      !Array.isArray(parents) ||
      !parents.every((parent) => Number.isInteger(parent) && parent >= 0 && parent < index)
    ) {
      throw new RangeError(`${name}: transaction ${index} has invalid parents`)
    }
    if (!Number.isInteger(txn.agent) || (txn.agent as number) < 0) {
      throw new RangeError(`${name}: transaction ${index} has an invalid agent`)
    }
    return { agent: txn.agent as number, parents: parents as number[], patches: txn.patches }
  })
  const numAgents = concurrent
    ? Number(raw.numAgents ?? 0) || Math.max(0, ...txns.map((txn) => txn.agent)) + 1
    : 1
  return {
    name,
    kind: concurrent ? 'concurrent' : 'sequential',
    numAgents,
    startContent: typeof raw.startContent === 'string' ? raw.startContent : '',
    endContent: raw.endContent,
    txns,
    ops,
  }
}

/** Reads a trace file (`.json` or `.json.gz`). */
export function loadTrace(file: string): Trace {
  const bytes = fs.readFileSync(file)
  const text = (file.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8')
  const name =
    file
      .split('/')
      .pop()
      ?.replace(/\.json(\.gz)?$/, '') ?? file
  return parseTrace(name, JSON.parse(text))
}
