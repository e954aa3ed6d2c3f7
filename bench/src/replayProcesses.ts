/**
 * The networked replay with every client in its own process (`replayChild.ts`), as each would be
 * on its own machine: in one process the clients' Yjs work and socket calls share one thread and
 * that thread, not the server, bounds the run. Same rules as `replayOverNetwork`: writers apply
 * their agent's transactions once they have the parents, latency is from a transaction being sent
 * to every other client having applied it, the run ends when every client has everything and every
 * writer's edits are stored. The base document is seeded before the clients start, and each one
 * reports ready only once it holds it.
 */
import { type ChildProcess, fork } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { RawReplay } from './rawReplay'
import type { ChildReport, ReplayPlan } from './replayChild'
import {
  type ReplayClient,
  type ReplayTarget,
  type ServerRunResult,
  seedBase,
} from './replayEngine'
import { cpuSeconds } from './serverMetrics'
import { peakRssMB, percentile } from './stats'
import type { Trace } from './traces'

interface Child {
  process: ChildProcess
  ready: Promise<void>
  done: Promise<ChildReport>
  exited: Promise<void>
}

function startChild(planFile: string, spec: object, role: string, agent: number): Child {
  const child = fork(
    path.join(import.meta.dirname, 'replayChild.ts'),
    [planFile, JSON.stringify(spec), role, String(agent)],
    { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
  )
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  let onReady: () => void = () => {}
  let onDone: (report: ChildReport) => void = () => {}
  const ready = new Promise<void>((resolve) => {
    onReady = resolve
  })
  const done = new Promise<ChildReport>((resolve, reject) => {
    onDone = resolve
    child.once('exit', (code) => reject(new Error(`replay client exited with ${code}`)))
  })
  // A child that dies early fails the run through `done`; `ready` must not wait forever then.
  void done.catch(() => onReady())
  child.on('message', (message: { type: string }) => {
    if (message.type === 'ready') onReady()
    if (message.type === 'done') onDone(message as ChildReport)
  })
  return { process: child, ready, done, exited }
}

/** Starts `target`, runs the replay with one process per client, stops. */
export async function replayInProcesses(
  target: ReplayTarget,
  trace: Trace,
  raw: RawReplay,
  observers: number,
): Promise<ServerRunResult> {
  const plan: ReplayPlan = {
    numAgents: trace.numAgents,
    agents: trace.txns.map((txn) => txn.agent),
    parents: trace.txns.map((txn) => txn.parents),
    ranks: Array.from(raw.ranks),
    clocks: Array.from(raw.clocks),
    baseClock: raw.baseClock,
    updates: raw.updates.map((update) => Buffer.from(update).toString('base64')),
    endContent: trace.endContent,
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onetext-replay-'))
  const planFile = path.join(dir, 'plan.json')
  fs.writeFileSync(planFile, JSON.stringify(plan))
  const children: Child[] = []
  let seeder: ReplayClient | null = null
  await target.start()
  try {
    // The base document goes in first; the seeder stays until every child has it (see seedBase).
    seeder = await seedBase(target, raw)
    for (let agent = 0; agent < trace.numAgents; agent++)
      children.push(startChild(planFile, target.clientSpec('writer'), 'writer', agent))
    for (let index = 0; index < observers; index++)
      children.push(startChild(planFile, target.clientSpec('observer'), 'observer', -1))
    await Promise.all(children.map((child) => child.ready))
    seeder.destroy()
    seeder = null
    const cpuBefore = cpuSeconds(target.pid)
    const started = performance.now()
    for (const child of children) child.process.send({ type: 'go' })
    const reports = await Promise.all(children.map((child) => child.done))
    const seconds = (performance.now() - started) / 1000
    const serverCpuSeconds = cpuSeconds(target.pid) - cpuBefore
    const rssMB = peakRssMB(target.pid)

    const sentAt = new Float64Array(trace.txns.length).fill(-1)
    for (const report of reports)
      report.sentAt.forEach((at, txn) => {
        if (at >= 0) sentAt[txn] = at
      })
    const latency = new Float64Array(trace.txns.length)
    for (const report of reports)
      report.arrivals.forEach((at, txn) => {
        if (at >= 0) latency[txn] = Math.max(latency[txn] as number, at - (sentAt[txn] as number))
      })
    const latencies = children.length > 1 ? Array.from(latency) : []
    for (const child of children) child.process.send({ type: 'exit' })
    await Promise.all(children.map((child) => child.exited))
    children.length = 0
    const reload = await target.verifyReload(trace.endContent)
    return {
      seconds,
      p50Ms: percentile(latencies, 50),
      p99Ms: percentile(latencies, 99),
      clientsMatch: reports.every((report) => report.textMatches),
      texts: [],
      rssMB,
      serverCpuSeconds,
      reload,
    }
  } finally {
    seeder?.destroy()
    for (const child of children) child.process.kill()
    await target.stop()
    fs.rmSync(dir, { recursive: true, force: true })
  }
}
