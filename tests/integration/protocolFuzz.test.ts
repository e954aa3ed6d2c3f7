/**
 * The structure-aware protocol fuzzer (bench/src/fuzz; `pnpm bench fuzz --frames N --seed S` for
 * long runs) against a real server process: 10,000 hostile frames from a mediator, a party lead, a
 * party member and an observer on the draft, caucus, layers, table and status, while honest
 * y-websocket clients type. The seed is printed first; `FUZZ_SEED=<seed>` replays a run. Every
 * finding is printed with its frames in hex (and, for a crash, the server's stack trace).
 */
import { describe, expect, it } from 'vitest'
import { formatFindings } from '../../bench/src/fuzz/findings'
import { runFuzz } from '../../bench/src/fuzz/runFuzz'

const FRAMES = 10_000
/**
 * The longest the server's event loop may be busy on one stretch in this run: a hang, not the
 * issue's 100 ms target. `pnpm bench fuzz` holds to 100 ms and does not meet it yet (open in issue
 * 14): after a refused update the gate rebuilds its copy of the document, so the next accepted
 * update costs in proportion to the document, and a flood of frames read in one go is handled in
 * one stretch; with the whole suite sharing two cores a stretch has reached 270 ms.
 */
const STALL_LIMIT_MS = 1000
const SEED =
  process.env.FUZZ_SEED !== undefined
    ? Number(process.env.FUZZ_SEED)
    : Math.floor(Math.random() * 2 ** 31)

describe('protocol fuzzer', () => {
  it(`survives ${FRAMES} hostile frames (seed ${SEED}, FUZZ_SEED=${SEED} replays)`, async () => {
    expect(Number.isInteger(SEED), 'FUZZ_SEED must be a whole number').toBe(true)
    console.log(`protocol fuzz: seed ${SEED} (FUZZ_SEED=${SEED} replays this run)`)
    const lines: string[] = []
    const result = await runFuzz({
      frames: FRAMES,
      seed: SEED,
      stallLimitMs: STALL_LIMIT_MS,
      log: (line) => lines.push(line),
    })
    const report = [
      `seed ${SEED}: ${result.frames} frames in ${result.durationMs} ms`,
      ...lines,
      formatFindings(result.findings, SEED),
    ].join('\n')
    if (result.findings.length > 0) console.error(report)

    expect(result.frames).toBeGreaterThanOrEqual(FRAMES)
    expect(result.crashes, report).toBe(0)
    expect(result.maxStallMs, report).toBeLessThanOrEqual(STALL_LIMIT_MS)
    expect(result.healthy, report).toBe(true)
    expect(result.converged, report).toBe(true)
    expect(result.reloadEqual, report).toBe(true)
    expect(result.gateHeld, report).toBe(true)
    expect(result.findings.map((finding) => finding.kind)).toEqual([])
    expect(result.ok).toBe(true)
  }, 240_000)
})
