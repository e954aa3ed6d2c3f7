/**
 * A short run of the chaos benchmark (`pnpm bench chaos`): writers on two documents type while the
 * server process is killed with SIGKILL twice and restarted; every edit a writer saw acknowledged
 * must be in the documents a fresh server process loads.
 */
import { chaos } from '@onetext/bench/chaos'
import { describe, expect, it } from 'vitest'

const SEED = 20_261_202

describe('chaos (short run)', () => {
  it(`loses no acknowledged edit across SIGKILLs (seed ${SEED})`, async () => {
    const lines: string[] = []
    const result = await chaos({
      kills: 2,
      seed: SEED,
      documents: 2,
      writersPerDocument: 1,
      maxUpMs: 1500,
      log: (line) => lines.push(line),
    })
    expect(result, lines.join('\n')).toMatchObject({ kills: 2, ackedLost: 0, ok: true })
    expect(result.ackedEdits).toBeGreaterThan(0)
  }, 300_000)
})
