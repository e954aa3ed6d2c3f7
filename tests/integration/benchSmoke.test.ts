/**
 * Tiny-size runs of the benchmarks, so that they cannot rot: the replay of a small sequential and
 * a small concurrent trace through a real server process must reproduce the end content on every
 * client and after reloading from disk.
 */
import { browserKeystroke } from '@onetext/bench/browserKeystroke'
import { coldSync } from '@onetext/bench/coldSync'
import { compareServers } from '@onetext/bench/compare'
import { compareRender } from '@onetext/bench/compareRender'
import { exportsBench } from '@onetext/bench/exportsBench'
import { fanout, latencyChart } from '@onetext/bench/fanout'
import { fanoutNegotiations } from '@onetext/bench/fanoutNegotiations'
import { manyDocs } from '@onetext/bench/manyDocs'
import { replayThroughServer } from '@onetext/bench/replay'
import { parseTrace } from '@onetext/bench/traces'
import { describe, expect, it } from 'vitest'

/**
 * Agent 0 types "ab"; then, concurrently, agent 1 prepends "X" and agent 0 appends "!"; then
 * agent 1, having seen both, appends "Y". Positions are in the state after each one's parents.
 */
function tinyConcurrentTrace(name: string) {
  return parseTrace(name, {
    kind: 'concurrent',
    numAgents: 2,
    endContent: 'Xab!Y',
    txns: [
      { agent: 0, parents: [], patches: [[0, 0, 'a']] },
      { agent: 0, parents: [0], patches: [[1, 0, 'b']] },
      { agent: 1, parents: [1], patches: [[0, 0, 'X']] },
      { agent: 0, parents: [1], patches: [[2, 0, '!']] },
      { agent: 1, parents: [2, 3], patches: [[4, 0, 'Y']] },
    ],
  })
}

describe('benchmark smoke runs', () => {
  it('replays a small sequential trace', async () => {
    const words = 'The parties agree to meet monthly.'
    const txns = [...words].map((char, index) => ({ patches: [[index, 0, char]] }))
    // The last two insert nothing (a deletion, an empty transaction): only the marker says they arrived.
    txns.push(
      { patches: [[4, 7, 'Parties']] },
      { patches: [[words.length - 1, 1, ', at least.']] },
      { patches: [[0, 4, '']] },
      { patches: [] },
    )
    const endContent = `Parties agree to meet monthly, at least.`
    const trace = parseTrace('tiny-sequential', { startContent: '', endContent, txns })
    const result = await replayThroughServer(trace, { observers: 2 })
    const patches = txns.reduce((count, txn) => count + txn.patches.length, 0)
    expect(result).toMatchObject({ trace: 'tiny-sequential', ops: patches, ok: true })
    expect(result.serverSeconds).toBeGreaterThan(0)
    expect(result.rawYjsSeconds).toBeGreaterThan(0)
    expect(result.p99Ms).toBeGreaterThanOrEqual(result.p50Ms)
  })

  it('replays a small concurrent trace in causal order', async () => {
    const trace = tinyConcurrentTrace('tiny-concurrent')
    const result = await replayThroughServer(trace, { observers: 1 })
    expect(result.ok).toBe(true)
  })

  it('replays a small concurrent trace with every client in its own process', async () => {
    const trace = tinyConcurrentTrace('tiny-concurrent-processes')
    const result = await replayThroughServer(trace, { observers: 1, processes: true })
    expect(result).toMatchObject({ ok: true, ops: trace.ops })
    expect(result.p99Ms).toBeGreaterThanOrEqual(result.p50Ms)
  })

  it('compares the same tiny replay across OneText, Hocuspocus and the y-websocket server', async () => {
    const txns = [...'Nothing is agreed until everything is agreed.'].map((char, index) => ({
      patches: [[index, 0, char]],
    }))
    const trace = parseTrace('tiny-compare', {
      startContent: '',
      endContent: 'Nothing is agreed until everything is agreed.',
      txns,
    })
    const result = await compareServers(trace, { runs: 1 })
    expect(result.trace).toBe('tiny-compare')
    for (const value of [
      result.oursSeconds,
      result.hocuspocusSeconds,
      result.yWebsocketServerSeconds,
    ])
      expect(value).toBeGreaterThan(0)
    // Seconds are reported rounded to 1 ms and the ratio is taken before rounding, so the
    // reported ratio must lie within the bounds that rounding allows (plus its own rounding).
    const halfMs = 0.0005
    const low = (result.hocuspocusSeconds - halfMs) / (result.oursSeconds + halfMs)
    const high = (result.hocuspocusSeconds + halfMs) / Math.max(result.oursSeconds - halfMs, 1e-9)
    expect(result.ratioHocuspocus).toBeGreaterThanOrEqual(low - 0.001)
    expect(result.ratioHocuspocus).toBeLessThanOrEqual(high + 0.001)
  })

  it('runs a tiny fan-out and draws its chart', async () => {
    const result = await fanout({ clients: 3, keystrokes: 5, rate: 50, pages: 1 })
    expect(result).toMatchObject({ clients: 3, readers: 'frames', keystrokes: 5, pages: 1 })
    expect(result.p99Ms).toBeGreaterThanOrEqual(result.p50Ms)
    expect(result.serverRssMB).toBeGreaterThan(0)
    const svg = latencyChart([result])
    expect(svg).toContain('<title>')
    expect(svg).toContain('<polyline')
  })

  it('runs a tiny fan-out with its readers in two child processes', async () => {
    const result = await fanout({ clients: 4, workers: 2, keystrokes: 3, rate: 50, pages: 1 })
    expect(result).toMatchObject({ clients: 4, readers: 'docs' })
    expect(result.p50Ms).toBeGreaterThan(0)
  })

  it('runs a tiny fan-out with full Yjs readers in this process', async () => {
    const result = await fanout({ clients: 2, readers: 'docs', keystrokes: 3, rate: 50, pages: 1 })
    expect(result).toMatchObject({ clients: 2, readers: 'docs', keystrokes: 3 })
    expect(result.p99Ms).toBeGreaterThanOrEqual(result.p50Ms)
  })

  it('runs a tiny fan-out of several negotiations on two processes behind nginx', async () => {
    const result = await fanoutNegotiations({
      negotiations: 3,
      processes: 2,
      clients: 2,
      keystrokes: 3,
      rate: 50,
      pages: 1,
    })
    expect(result).toMatchObject({ negotiations: 3, processes: 2, clients: 2, keystrokes: 3 })
    expect(result.p99Ms).toBeGreaterThanOrEqual(result.p50Ms)
    expect(result.servers).toHaveLength(2)
    // Every negotiation is owned by exactly one process.
    const owned = result.servers.flatMap((server) => server.negotiations)
    expect(new Set(owned).size).toBe(3)
    expect(owned).toHaveLength(3)
  })

  it('opens a few documents and sees the server unload them after everyone leaves', async () => {
    const result = await manyDocs({ documents: 10, perDocument: 2 })
    expect(result.documents).toBe(10)
    expect(result.clients).toBe(20)
    expect(result.heapPerDocKB).toBeGreaterThan(0)
  })

  it('times a small cold sync from disk', async () => {
    const result = await coldSync({ textBytes: 5_000, edits: 50, runs: 1 })
    expect(result.textBytes).toBeGreaterThanOrEqual(5_000)
    expect(result.samplesMs).toHaveLength(1)
  })

  it('measures keystroke-to-paint on a small text in Chromium', async () => {
    const result = await browserKeystroke({ pages: 2, keystrokes: 5 })
    expect(result.keystrokes).toBe(5)
    expect(result.p95Ms).toBeGreaterThan(0)
    expect(Number.isFinite(result.serverCpuMsPerKeystroke)).toBe(true)
  })

  it("measures a party member's keystrokes in the copy while a colleague types from Node", async () => {
    const result = await browserKeystroke({
      pages: 2,
      keystrokes: 30,
      suggest: true,
      colleagueIn: 'node',
    })
    expect(result.keystrokes).toBe(30)
    expect(result.colleagueIn).toBe('node')
    // The colleague's changes reached the member's editor.
    expect(result.remoteChanges).toBeGreaterThan(0)
    expect(result.colleagueKeystrokes).toBeNull()
  })

  it('times the diff and exports of a small agreement', async () => {
    const result = await exportsBench({ clauses: 20, pages: 2, runs: 1 })
    expect(result.clauses).toBe(22)
    for (const value of [result.diffMs, result.docxMs, result.pdfMs])
      expect(value).toBeGreaterThan(0)
  })

  it('times the comparison view on a small agreement in Chromium', async () => {
    const result = await compareRender({ clauses: 20, runs: 1 })
    expect(result.samplesMs).toHaveLength(1)
    expect(result.medianMs).toBeGreaterThan(0)
  })

  it('rejects a malformed trace with a clear error', () => {
    expect(() => parseTrace('bad', { endContent: '', txns: [{ patches: [[0, 'x']] }] })).toThrow(
      RangeError,
    )
    expect(() =>
      parseTrace('bad', {
        kind: 'concurrent',
        endContent: '',
        txns: [{ agent: 0, parents: [5], patches: [] }],
      }),
    ).toThrow(/invalid parents/)
  })
})
