/**
 * A short seeded convergence run (`pnpm bench converge` is the long one): eight users in every
 * role of a three-party negotiation make random structural edits to the working draft and their
 * caucus notes over a network that delays, duplicates, reorders and cuts their frames, while the
 * in-process server is restarted over the same data directory. At quiescence every copy, the
 * server's and the one reloaded from disk hold the same rich text, and no honest user was refused
 * or sent an error. The seed is printed; replay one with `CONVERGE_SEED=<seed>`.
 */
import type { OneTextServer } from '@onetext/server/server'
import { describe, expect, it } from 'vitest'
import { type ConvergeHost, converge } from '../../bench/src/converge/run'
import { createThreePartyNegotiation, FIXTURE_NEGOTIATION } from '../helpers/negotiationFixture'
import { loadStoredDoc, startTestServer } from '../helpers/testServer'

const SEED = Number(process.env.CONVERGE_SEED ?? Math.floor(Math.random() * 2 ** 31))

/** The in-process test server, restarted (closed and started again) over its data directory. */
class InProcessHost implements ConvergeHost {
  readonly canKill = false

  constructor(private server: OneTextServer & { dataDir: string }) {}

  get url(): string {
    return this.server.url
  }

  async restart(): Promise<void> {
    await this.server.close()
    this.server = await startTestServer({ dataDir: this.server.dataDir })
  }

  async storedXml(documents: ReadonlyArray<{ name: string }>): Promise<Map<string, string>> {
    await this.restart()
    const stored = new Map<string, string>()
    for (const { name } of documents) {
      const doc = await loadStoredDoc(this.server, name)
      stored.set(name, doc.getXmlFragment('default').toString())
      doc.destroy()
    }
    return stored
  }

  close(): Promise<void> {
    return this.server.close()
  }
}

describe('convergence', () => {
  it(`every copy and the stored document agree after a faulty run (seed ${SEED})`, async () => {
    console.log(`convergence: seed ${SEED} (replay with CONVERGE_SEED=${SEED})`)
    const server = await startTestServer()
    const users = await createThreePartyNegotiation(server)
    const host = new InProcessHost(server)
    const lines: string[] = []
    try {
      const result = await converge({
        host,
        accounts: Array.from(users.values()),
        negotiationId: FIXTURE_NEGOTIATION,
        parties: ['unions', 'mgmt'],
        seed: SEED,
        rounds: 10,
        clients: 8,
        stepsPerRound: 80,
        restarts: 5,
        log: (line) => lines.push(line),
      })
      const summary = `seed ${SEED} (CONVERGE_SEED=${SEED}):\n${lines.join('\n')}`
      expect(result.edits, summary).toBeGreaterThan(100)
      expect(result.documents, summary).toHaveLength(3)
      expect(result.converged, summary).toBe(true)
      expect(result.refused, summary).toEqual([])
      expect(result.problems, summary).toEqual([])
    } finally {
      await host.close()
    }
  }, 110_000)
})
