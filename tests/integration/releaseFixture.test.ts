/**
 * A data directory written by release 0.1.0 (`tests/fixtures/release-0.1.0`, made by
 * `tests/fixtures/makeReleaseFixture.ts` with that release's code and never regenerated) opens with
 * this version and reads back exactly as 0.1.0 read it: every iteration's clauses, the drafts'
 * clause ids and numbers, sign-offs and locks, clause histories, annotations with their quotes and
 * offsets, and the local table's supplement. A change of the stored model migrates this directory
 * and must keep every reading.
 */
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type NegotiationReadings, readNegotiation } from '../helpers/releaseReadings'
import { login, makeDataDir, startTestServer } from '../helpers/testServer'
import { connectClient, whenSynced } from '../helpers/yClient'

const FIXTURE = path.resolve(import.meta.dirname, '../fixtures/release-0.1.0')

interface Readings {
  version: string
  negotiations: Record<string, NegotiationReadings>
  accounts: { observer: string }
}

describe('a data directory written by release 0.1.0', () => {
  const recorded = JSON.parse(
    fs.readFileSync(path.join(FIXTURE, 'readings.json'), 'utf8'),
  ) as Readings
  let server: Awaited<ReturnType<typeof startTestServer>>

  beforeAll(async () => {
    // A copy: the committed fixture stays as 0.1.0 wrote it.
    const dataDir = makeDataDir()
    fs.cpSync(path.join(FIXTURE, 'data'), dataDir, { recursive: true })
    server = await startTestServer({ dataDir })
  })
  afterAll(async () => {
    await server?.close()
  })

  it('reads back every negotiation as 0.1.0 read it', async () => {
    const mediator = await login(server.url, 'mediator@demo.test')
    const observer = await login(server.url, recorded.accounts.observer)
    for (const [id, readings] of Object.entries(recorded.negotiations)) {
      const now = await readNegotiation(
        server.url,
        id,
        mediator,
        readings.supplements.length > 0 ? observer : null,
      )
      expect(now, id).toEqual(readings)
    }
  })

  it('holds what it says: a locked clause, annotations, a supplement, and a flat draft', async () => {
    const [, round, flat] = Object.entries(recorded.negotiations)
    if (!round || !flat) throw new Error('the fixture holds three negotiations')
    const [roundId, roundReadings] = round
    expect(roundReadings.iterations).toHaveLength(2)
    expect(roundReadings.clauses).toContainEqual(
      expect.objectContaining({ status: 'tentatively-agreed' }),
    )
    expect(roundReadings.annotations.map((annotation) => annotation.quote)).toEqual(
      expect.arrayContaining(['four weeks ahead', 'forty hours']),
    )
    expect(roundReadings.supplements[0]?.text).toContain('Local 7 posts rosters five weeks ahead.')
    // The round's draft is stored in segments; the flat round's draft in top-level blocks.
    const mediator = await login(server.url, 'mediator@demo.test')
    const topNodes = async (id: string) => {
      const client = connectClient(server.url, `${id}.draft`, mediator)
      try {
        await whenSynced(client)
        return client.doc
          .getXmlFragment('default')
          .toArray()
          .map((node) => ('nodeName' in node ? node.nodeName : 'text'))
      } finally {
        client.destroy()
      }
    }
    expect(new Set(await topNodes(roundId))).toEqual(new Set(['segment']))
    expect(await topNodes(flat[0])).not.toContain('segment')
  })
})
