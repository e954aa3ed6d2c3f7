/**
 * One replay client in its own process (started by `replayProcesses.ts` with
 * `node --import tsx replayChild.ts PLAN_FILE SPEC_JSON ROLE AGENT`). A writer applies its agent's
 * transactions, each once this client has received the transaction's parents; every client records
 * when it applied each other agent's transaction (read from its state vector: each transaction
 * advances its agent's clock, see rawReplay.ts). IPC: `ready` once synced and holding the base
 * document (seeded by the parent), then on `go` it runs and answers `done` with its send and
 * arrival times (epoch milliseconds) and whether its final trace text is the trace's end content;
 * `exit` ends it.
 */
import fs from 'node:fs'
import * as Y from 'yjs'
import { AGENT_CLIENT_BASE, traceString, whenHasBase } from './rawReplay'
import { type ClientSpec, connectSpec } from './targets/clientSpec'

/** What the parent writes for every child: the trace's causal structure and its Yjs updates. */
export interface ReplayPlan {
  numAgents: number
  /** Per transaction: its agent, its parents, its rank among its agent's transactions. */
  agents: number[]
  parents: number[][]
  ranks: number[]
  /** Per transaction: its agent's clock after it (`RawReplay.clocks`). */
  clocks: number[]
  /** The base document's clock (`RawReplay.baseClock`): a child is ready once it has the base. */
  baseClock: number
  /** Per transaction: its Yjs update, base64. */
  updates: string[]
  endContent: string
}

/** The child's report. */
export interface ChildReport {
  type: 'done'
  /** Per transaction: when this client sent it (its own agent's), else -1. */
  sentAt: number[]
  /** Per transaction: when this client applied it (other agents'), else -1. */
  arrivals: number[]
  textMatches: boolean
}

const [planFile = '', specJson = '{}', role = 'observer', agentText = '-1'] = process.argv.slice(2)
const plan = JSON.parse(fs.readFileSync(planFile, 'utf8')) as ReplayPlan
const spec = JSON.parse(specJson) as ClientSpec
const me = role === 'writer' ? Number(agentText) : -1
const updates = plan.updates.map((encoded) => new Uint8Array(Buffer.from(encoded, 'base64')))
const byAgent: number[][] = Array.from({ length: plan.numAgents }, () => [])
plan.agents.forEach((agent, index) => {
  byAgent[agent]?.push(index)
})
const epoch = () => performance.timeOrigin + performance.now()
const send = (message: object) => process.send?.(message)

const client = connectSpec(spec)
const doc = client.doc
const seen = new Int32Array(plan.numAgents).fill(-1)
const sentAt = new Float64Array(plan.agents.length).fill(-1)
const arrivals = new Float64Array(plan.agents.length).fill(-1)
const mine = me >= 0 ? (byAgent[me] ?? []) : []
let othersLeft = plan.agents.length - mine.length
let next = 0
let running = false
let reported = false

function parentsSeen(txn: number): boolean {
  for (const parent of plan.parents[txn] ?? []) {
    if ((seen[plan.agents[parent] ?? 0] as number) < (plan.ranks[parent] as number)) return false
  }
  return true
}

function pump(): void {
  // Yield now and then so that the socket is read and written while this writer floods.
  let budget = 200
  while (next < mine.length && budget-- > 0) {
    const txn = mine[next] as number
    if (!parentsSeen(txn)) return
    sentAt[txn] = epoch()
    Y.applyUpdate(doc, updates[txn] as Uint8Array)
    seen[me] = plan.ranks[txn] as number
    next++
  }
  if (next < mine.length && budget <= 0) setImmediate(pump)
  else finishIfDone()
}

function finishIfDone(): void {
  if (reported || next < mine.length || othersLeft > 0) return
  reported = true
  void client.saved().then(() => {
    const report: ChildReport = {
      type: 'done',
      sentAt: Array.from(sentAt),
      arrivals: Array.from(arrivals),
      textMatches: traceString(doc) === plan.endContent,
    }
    send(report)
  })
}

/** Records the other agents' transactions this client now has (by their clocks in its state). */
function recordArrivals(): void {
  const now = epoch()
  for (let agent = 0; agent < plan.numAgents; agent++) {
    if (agent === me) continue
    const queue = byAgent[agent] as number[]
    const clock = Y.getState(doc.store, AGENT_CLIENT_BASE + agent)
    let rank = seen[agent] as number
    for (; rank + 1 < queue.length; rank++) {
      const txn = queue[rank + 1] as number
      if ((plan.clocks[txn] as number) > clock) break
      arrivals[txn] = now
      othersLeft--
    }
    seen[agent] = rank
  }
}

let pumpScheduled = false
doc.on('update', (_update: Uint8Array, origin: unknown) => {
  if (origin === null || origin === undefined || !running) return
  recordArrivals()
  // Never apply from inside a Yjs update handler (see replayEngine.ts): a microtask runs after it.
  if (pumpScheduled) return
  pumpScheduled = true
  queueMicrotask(() => {
    pumpScheduled = false
    pump()
  })
})

process.on('message', (message: { type: string }) => {
  if (message.type === 'go') {
    running = true
    // What arrived between `ready` and `go` (another client may have started first).
    recordArrivals()
    pump()
  } else if (message.type === 'exit') {
    client.destroy()
    process.exit(0)
  }
})

void client
  .synced()
  .then(() => whenHasBase(doc, plan.baseClock))
  .then(() => send({ type: 'ready' }))
