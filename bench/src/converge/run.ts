/**
 * The seeded random convergence run (`pnpm bench converge`, tests/integration/convergence.test.ts).
 * Simulated users in different roles (the mediator and the drafting team writing the working draft,
 * a party's lead and member writing their caucus notes, a party member reading the draft) make
 * random structural edits behind a faulty network (delays, duplicates, swaps, cut connections,
 * partitions) while the server is restarted, gracefully or with SIGKILL. Then the network calms
 * down, every user's edits are saved, and every copy of each document, the server's and the one
 * reloaded from disk must hold the same rich text. Honest users must never be refused: a refusal
 * is handled as the page handles it (a rebuild) and recorded.
 *
 * Seeded: the same seed gives the same choices, edits and network schedule as far as the moments
 * the operating system picks allow (which user acts and how is drawn from the seed; what a drawn
 * edit changes depends on what the copy holds at that moment).
 */
import type { Role } from '@onetext/shared/apiTypes'
import * as Y from 'yjs'
import { seededRandom } from '../seededRandom'
import { FaultyNetwork, STORMY } from './faultyNetwork'
import { connectProbe, type Probe, richTextXml, whenAgreeing } from './probe'
import {
  ConvergeReplica,
  type ProblemRecord,
  type RefusalRecord,
  type ReplicaSpec,
  type RunMoment,
} from './replica'

/** How the server is stopped before it starts again over the same data. */
export type RestartMode = 'graceful' | 'kill'

/** The server the run talks to, and how to restart it. */
export interface ConvergeHost {
  /** Where it listens now (http://host:port); may change with each restart. */
  readonly url: string
  /** True when it can be killed (a child process); otherwise every restart is graceful. */
  readonly canKill: boolean
  /** Stops the server (SIGTERM-like, or SIGKILL) and starts it again over the same data. */
  restart(mode: RestartMode): Promise<void>
  /**
   * Stops the server and reads each document as stored on disk (`token` may open it): its rich
   * text as XML, by name.
   */
  storedXml(documents: ReadonlyArray<{ name: string; token: string }>): Promise<Map<string, string>>
}

/** A signed-in member of the negotiation. */
export interface ConvergeAccount {
  role: Role
  partyId: string | null
  token: string
}

/** What a run does; see {@link converge}. */
export interface ConvergeOptions {
  host: ConvergeHost
  accounts: readonly ConvergeAccount[]
  negotiationId: string
  /** Two parties of the negotiation: the first has a drafting-team account. */
  parties: readonly [string, string]
  seed: number
  rounds: number
  /** Simulated users (at least 6: every role of the plan once). */
  clients: number
  /** Actions per round; default 60. */
  stepsPerRound?: number
  /** Server restarts over the run, at drawn moments. */
  restarts: number
  /** Share of the restarts that are SIGKILL when the host can kill; default 0.5. */
  killShare?: number
  log?: (line: string) => void
}

/** The verdict on one document. */
export interface DocumentVerdict {
  name: string
  replicas: number
  /** Every copy (and the server's) held the same rich text at quiescence. */
  agreed: boolean
  /** The copy reloaded from disk held what the server's held. */
  stored: boolean
}

/** What the run found; the bench prints it as its last line. */
export interface ConvergeResult {
  seed: number
  rounds: number
  clients: number
  restarts: number
  kills: number
  edits: number
  refusals: number
  /** Refusals by reason, e.g. `{"buildsOnRefused":3}`. */
  refusedBy: Record<string, number>
  rebuilds: number
  converged: boolean
  ok: boolean
  documents: DocumentVerdict[]
  /** Every refusal of an honest client, with what it wrote. */
  refused: RefusalRecord[]
  /** Everything else that went wrong. */
  problems: ProblemRecord[]
}

/** The plan of users: role, which party (index into `parties`), which document. */
const PLAN: ReadonlyArray<{ role: Role; party: 0 | 1 | null; kind: 'draft' | 'caucus' }> = [
  { role: 'mediator', party: null, kind: 'draft' },
  { role: 'drafting-team', party: 0, kind: 'draft' },
  { role: 'party-lead', party: 0, kind: 'caucus' },
  { role: 'party-member', party: 0, kind: 'caucus' },
  { role: 'party-member', party: 1, kind: 'draft' },
  { role: 'party-lead', party: 1, kind: 'caucus' },
  { role: 'party-member', party: 1, kind: 'caucus' },
  { role: 'mediator', party: null, kind: 'draft' },
]

/** The users of a run of `options.clients`, the plan repeated (more tabs of the same people). */
export function castUsers(options: ConvergeOptions): ReplicaSpec[] {
  if (options.clients < 6) throw new RangeError('a convergence run needs at least 6 clients')
  const specs: ReplicaSpec[] = []
  for (let index = 0; index < options.clients; index++) {
    const plan = PLAN[index % PLAN.length] as (typeof PLAN)[number]
    const partyId = plan.party === null ? null : options.parties[plan.party]
    const account = options.accounts.find(
      (candidate) =>
        candidate.role === plan.role && (partyId === null || candidate.partyId === partyId),
    )
    if (!account) throw new Error(`no ${plan.role} account${partyId ? ` of ${partyId}` : ''}`)
    const docName =
      plan.kind === 'draft'
        ? `${options.negotiationId}.draft`
        : `${options.negotiationId}.caucus.${partyId}`
    const writes =
      plan.kind === 'caucus' || plan.role === 'mediator' || plan.role === 'drafting-team'
    specs.push({
      label: `${index}:${plan.role}${partyId ? `@${partyId}` : ''}>${plan.kind}`,
      role: plan.role,
      docName,
      token: account.token,
      writes,
    })
  }
  return specs
}

/**
 * Turns on "open drafting" as the run's mediator: the plan has a party member reading the working
 * draft, which the table opens only then.
 */
async function openDrafting(options: ConvergeOptions): Promise<void> {
  const mediator = options.accounts.find((account) => account.role === 'mediator')
  if (!mediator) throw new Error('no mediator account')
  const response = await fetch(
    `${options.host.url}/api/negotiations/${encodeURIComponent(options.negotiationId)}/settings`,
    {
      method: 'PATCH',
      headers: { authorization: `Bearer ${mediator.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ openDrafting: true }),
    },
  )
  if (response.status !== 200) throw new Error(`open drafting answered ${response.status}`)
}

/** Each user's seconds of waiting for the network at quiescence, at most. */
const SETTLE_MS = 30_000

/** Edits made in a burst just before each restart. */
const BURST_EDITS = 6

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** The restarts of a run: at which round and step, and how. */
function restartSchedule(random: () => number, options: ConvergeOptions, steps: number) {
  const killShare = options.host.canKill ? (options.killShare ?? 0.5) : 0
  const schedule: Array<{ at: number; mode: RestartMode }> = []
  for (let index = 0; index < options.restarts; index++) {
    const at = Math.floor(random() * options.rounds * steps)
    schedule.push({ at, mode: random() < killShare ? 'kill' : 'graceful' })
  }
  return schedule.sort((a, b) => a.at - b.at)
}

/** Runs the convergence run (see the module comment). */
export async function converge(options: ConvergeOptions): Promise<ConvergeResult> {
  const log = options.log ?? (() => {})
  const { host, seed } = options
  const steps = options.stepsPerRound ?? 60
  const random = seededRandom(seed)
  const network = new FaultyNetwork(seededRandom(seed ^ 0x5bd1e995))
  network.setServer(host.url)
  const refused: RefusalRecord[] = []
  const problems: ProblemRecord[] = []
  const moment: RunMoment = { round: 0, restarts: 0, kills: 0, sinceRestartMs: null }
  let restartedAt: number | null = null
  const events = {
    moment: (): RunMoment => ({
      ...moment,
      sinceRestartMs: restartedAt === null ? null : Date.now() - restartedAt,
    }),
    refused: (record: RefusalRecord) => {
      refused.push(record)
      log(`refused: ${JSON.stringify(record)}`)
    },
    problem: (record: ProblemRecord) => {
      problems.push(record)
      log(`problem: ${record.text}${record.cause ? ` (known: ${record.cause})` : ''}`)
    },
  }
  const specs = castUsers(options)
  await openDrafting(options)
  const users = specs.map(
    (spec, index) =>
      new ConvergeReplica(spec, network, seededRandom(seed + 7919 * (index + 1)), events),
  )
  const writers = users.filter((user) => user.spec.writes)
  const restart = async (mode: RestartMode) => {
    moment.restarts++
    if (mode === 'kill') moment.kills++
    log(`round ${moment.round}: ${mode === 'kill' ? 'SIGKILL' : 'graceful restart'}`)
    // A burst of typing just before, so that the server stops with edits it has relayed to other
    // users but not yet written (the page's rebuild has a case for those).
    for (let burst = 0; burst < BURST_EDITS; burst++)
      (writers[Math.floor(random() * writers.length)] as ConvergeReplica).edit()
    await pause(Math.floor(random() * 40))
    await host.restart(mode)
    network.setServer(host.url)
    restartedAt = Date.now()
  }
  const probes: Probe[] = []
  try {
    await Promise.all(users.map((user) => user.firstSync(SETTLE_MS)))
    log(`${users.length} users: ${specs.map((spec) => spec.label).join(', ')}`)
    network.setFaults(STORMY)
    const schedule = restartSchedule(random, options, steps)
    let restarting: Promise<void> | null = null
    for (let round = 0; round < options.rounds; round++) {
      moment.round = round
      for (let step = 0; step < steps; step++) {
        while (schedule[0] && schedule[0].at <= round * steps + step) {
          const { mode } = schedule.shift() as (typeof schedule)[number]
          await restarting
          restarting = restart(mode)
        }
        await pause(1 + Math.floor(random() * 12))
        const roll = random()
        const user = users[Math.floor(random() * users.length)] as ConvergeReplica
        if (roll < 0.8) (writers[Math.floor(random() * writers.length)] as ConvergeReplica).edit()
        else if (roll < 0.88) network.cut(user.spec.label)
        else if (roll < 0.92) network.partition(user.spec.label, 50 + Math.floor(random() * 800))
      }
      await restarting
      restarting = null
    }

    // Quiescence: a calm network, every edit saved, every copy the server's.
    network.calm()
    const states = await Promise.all(users.map((user) => user.settled(SETTLE_MS)))
    states.forEach((settled, index) => {
      const user = users[index] as ConvergeReplica
      if (!settled)
        events.problem({ text: `${user.spec.label} did not settle: ${user.state()}`, cause: null })
    })
    const names = Array.from(new Set(specs.map((spec) => spec.docName)))
    const serverXml = new Map<string, string>()
    const agreed = new Set<string>()
    for (const name of names) {
      const holders = users.filter((user) => user.spec.docName === name)
      const probe = connectProbe(host.url, name, (holders[0] as ConvergeReplica).spec.token)
      probes.push(probe)
      await probe.synced(SETTLE_MS)
      const same = await whenAgreeing(
        () => [probe.doc, ...holders.map((user) => user.doc)],
        SETTLE_MS,
      )
      const server = richTextXml(probe.doc)
      serverXml.set(name, server)
      if (same) agreed.add(name)
      else {
        for (const user of holders) {
          const xml = richTextXml(user.doc)
          if (xml === server) continue
          const extra = beyond(user.doc, probe.doc, users)
          events.problem({
            text: `${user.spec.label} differs (${extra}): ${firstDifference(xml, server)}`,
            cause: null,
          })
        }
      }
    }
    for (const probe of probes.splice(0)) probe.destroy()
    for (const user of users) user.destroy()

    const stored = await host.storedXml(
      names.map((name) => ({
        name,
        token: (specs.find((spec) => spec.docName === name) as ReplicaSpec).token,
      })),
    )
    network.setServer(host.url)
    const documents = names.map((name): DocumentVerdict => {
      const xml = serverXml.get(name) ?? ''
      const onDisk = stored.get(name) ?? ''
      if (onDisk !== xml)
        events.problem({
          text: `${name} on disk differs from the server's copy: ${firstDifference(onDisk, xml)}`,
          cause: null,
        })
      return {
        name,
        replicas: users.filter((user) => user.spec.docName === name).length,
        agreed: agreed.has(name),
        stored: onDisk === xml,
      }
    })
    const converged = documents.every((verdict) => verdict.agreed && verdict.stored)
    let edits = 0
    for (const user of users) for (const count of user.edits.values()) edits += count
    return {
      seed,
      rounds: options.rounds,
      clients: users.length,
      restarts: moment.restarts,
      kills: moment.kills,
      edits,
      refusals: refused.length,
      refusedBy: countBy(refused.map((record) => record.reason)),
      rebuilds: users.reduce((sum, user) => sum + user.rebuilds, 0),
      converged,
      ok: converged && refused.length === 0 && problems.length === 0,
      documents,
      refused,
      problems,
    }
  } finally {
    network.calm()
    for (const probe of probes) probe.destroy()
    for (const user of users) user.destroy()
  }
}

/** What `copy` holds beyond `server`, per client ID, with the user who wrote under it. */
function beyond(copy: Y.Doc, server: Y.Doc, users: readonly ConvergeReplica[]): string {
  const known = Y.decodeStateVector(Y.encodeStateVector(server))
  const parts: string[] = []
  for (const [client, clock] of Y.decodeStateVector(Y.encodeStateVector(copy))) {
    const has = known.get(client) ?? 0
    if (clock <= has) continue
    const author = users.find((user) => user.clientIds.has(client))?.spec.label ?? '?'
    parts.push(`${client}:${has}-${clock} by ${author}`)
  }
  return parts.length > 0
    ? `holds what the server lacks: ${parts.join(', ')}`
    : 'holds nothing more'
}

function countBy(keys: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const key of keys) counts[key] = (counts[key] ?? 0) + 1
  return counts
}

/** Where two texts first differ, with a little of each around it. */
function firstDifference(a: string, b: string): string {
  let index = 0
  while (index < a.length && index < b.length && a[index] === b[index]) index++
  const from = Math.max(0, index - 40)
  return `at ${index} of ${a.length}/${b.length}: "${a.slice(from, index + 60)}" vs "${b.slice(from, index + 60)}"`
}
