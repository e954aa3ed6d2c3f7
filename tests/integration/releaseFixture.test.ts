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
import type { SuggestionSummary } from '@onetext/shared/api/suggestionSchemas'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { DOCUMENT_FORMAT } from '../../server/src/storage/DocumentStore'
import { openSqliteDatabase } from '../../server/src/storage/SqliteDatabase'
import { callApi } from '../helpers/api'
import { type NegotiationReadings, readNegotiation } from '../helpers/releaseReadings'
import { loadStoredDoc, login, makeDataDir, startTestServer } from '../helpers/testServer'
import { appendToClause, connectClient, nextRefusal, whenSynced } from '../helpers/yClient'

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
      // Everything 0.1.0 said is said the same, its proposals as suggestions; what the API added
      // since (an iteration's clause `tree`, each clause's `depth`) may be there besides.
      expect(now, id).toMatchObject(asSuggestions(readings) as unknown as Record<string, unknown>)
    }
  })

  it('brings back every shared proposal as a shared suggestion with its id, words and decision', async () => {
    const mediator = await login(server.url, 'mediator@demo.test')
    let seen = 0
    for (const [id, readings] of Object.entries(recorded.negotiations)) {
      for (const [clauseId, history] of Object.entries(readings.histories)) {
        for (const proposal of legacyProposalsOf(history)) {
          seen++
          const answer = await callApi<SuggestionSummary[]>(
            server.url,
            'GET',
            `/api/negotiations/${id}/suggestions?clause=${clauseId}&iteration=${proposal.baseIteration}`,
            mediator,
          )
          expect(answer.status).toBe(200)
          const suggestion = answer.body.find((candidate) => candidate.id === proposal.id)
          expect(suggestion).toMatchObject({
            clauseId,
            partyId: proposal.partyId,
            iteration: proposal.baseIteration,
            rationale: proposal.rationale,
            authorName: proposal.authorName,
            sharedByName: proposal.sharedByName,
            status: proposal.status === 'adopted' ? 'accepted' : 'shared',
          })
          // The words it proposed are its changes, by its author.
          const inserted = (suggestion?.changes ?? [])
            .filter((change) => change.kind === 'insert')
            .map((change) => change.text)
            .join(' ')
          expect(inserted).toContain('four')
          for (const change of suggestion?.changes ?? [])
            expect(change.authorName).toBe(proposal.authorName)
          // Its words are in the party's copy, and shared: no draft repeats them.
          expect(answer.body.filter((candidate) => candidate.status === 'draft')).toEqual([])
          // The clause's history names it.
          const record = await callApi<{ suggestions?: Array<{ id: string }> }>(
            server.url,
            'GET',
            `/api/negotiations/${id}/clauses/${clauseId}/history`,
            mediator,
          )
          expect(record.body.suggestions?.map((entry) => entry.id)).toContain(proposal.id)
        }
      }
    }
    expect(seen).toBeGreaterThan(0)
  })

  it('holds what it says: a locked clause, annotations, a supplement, and a flat draft', () => {
    const [, round, flat] = Object.entries(recorded.negotiations)
    if (!round || !flat) throw new Error('the fixture holds three negotiations')
    const [, roundReadings] = round
    expect(roundReadings.iterations).toHaveLength(2)
    expect(roundReadings.clauses).toContainEqual(
      expect.objectContaining({ status: 'tentatively-agreed' }),
    )
    expect(roundReadings.annotations.map((annotation) => annotation.quote)).toEqual(
      expect.arrayContaining(['four weeks ahead', 'forty hours']),
    )
    expect(roundReadings.supplements[0]?.text).toContain('Local 7 posts rosters five weeks ahead.')
  })

  it('stored its drafts in segments and flat; they are clause trees now, with no legacy node', async () => {
    // Read from a fresh copy of the fixture: what 0.1.0 stored.
    const copy = makeDataDir()
    fs.cpSync(path.join(FIXTURE, 'data'), copy, { recursive: true })
    const database = openSqliteDatabase(copy)
    const stored = (name: string) => {
      const doc = new Y.Doc()
      const rows = database
        .prepare<[string, string], { data: Buffer }>(
          'SELECT data FROM doc_snapshots WHERE doc = ? UNION ALL SELECT data FROM doc_updates WHERE doc = ?',
        )
        .all(name, name)
      for (const row of rows) Y.applyUpdate(doc, row.data)
      return elementNames(doc)
    }
    const [, round, flat] = Object.keys(recorded.negotiations)
    try {
      expect(stored(`${round}.draft`)).toContain('segment')
      expect(stored(`${flat}.draft`)).toContain('heading')
    } finally {
      database.close()
    }
    // On the server's disk, before any client asked: converted at start, the format recorded.
    const serverDatabase = openSqliteDatabase(server.dataDir)
    try {
      const format = serverDatabase
        .prepare<[], { value: string }>(
          "SELECT value FROM store_settings WHERE key = 'document_format'",
        )
        .get()
      expect(format?.value).toBe(String(DOCUMENT_FORMAT))
    } finally {
      serverDatabase.close()
    }
    const onDisk = await loadStoredDoc(server, `${round}.draft`)
    expect(elementNames(onDisk)).not.toContain('segment')
    const mediator = await login(server.url, 'mediator@demo.test')
    for (const id of Object.keys(recorded.negotiations)) {
      const client = connectClient(server.url, `${id}.draft`, mediator)
      try {
        await whenSynced(client)
        const names = elementNames(client.doc)
        expect(names, id).not.toContain('segment')
        expect(names, id).not.toContain('heading')
        expect(names, id).toContain('clause')
      } finally {
        client.destroy()
      }
    }
  })

  it('refuses typing into the clause locked before the migration, now locked as a subtree', async () => {
    const [, round] = Object.entries(recorded.negotiations)
    if (!round) throw new Error('the fixture holds a round')
    const [roundId, readings] = round
    const locked = (readings.clauses as Array<{ id: string; status: string }>).find(
      (clause) => clause.status === 'tentatively-agreed',
    )
    if (!locked) throw new Error('the round holds a locked clause')
    const mediator = await login(server.url, 'mediator@demo.test')
    const client = connectClient(server.url, `${roundId}.draft`, mediator)
    try {
      await whenSynced(client)
      const refused = nextRefusal(client)
      appendToClause(client.doc, locked.id, ' and more')
      expect(await refused).toMatch(/tentatively agreed/)
    } finally {
      client.destroy()
    }
  })

  it('migrates once: a restart changes no document', async () => {
    const mediator = await login(server.url, 'mediator@demo.test')
    const states = async (url: string, token: string) => {
      const out: Record<string, string> = {}
      for (const id of Object.keys(recorded.negotiations)) {
        const client = connectClient(url, `${id}.draft`, token)
        try {
          await whenSynced(client)
          out[id] = Buffer.from(Y.encodeStateVector(client.doc)).toString('base64')
        } finally {
          client.destroy()
        }
      }
      return out
    }
    const before = await states(server.url, mediator)
    await server.close()
    server = await startTestServer({ dataDir: server.dataDir })
    const after = await states(server.url, await login(server.url, 'mediator@demo.test'))
    expect(after).toEqual(before)
  })
})

/** A shared proposal as 0.1.0's clause history listed it. */
interface RecordedProposal {
  id: string
  partyId: string
  baseIteration: number
  rationale: string
  authorName: string
  sharedByName: string
  status: 'shared' | 'adopted'
}

function legacyProposalsOf(history: unknown): RecordedProposal[] {
  return ((history as { proposals?: RecordedProposal[] }).proposals ?? []).slice()
}

/**
 * What 0.1.0's readings say now that proposals are suggestions: a clause history lists no
 * `proposals` (they are among its `suggestions`), and provenance names the suggestion.
 */
function asSuggestions(readings: NegotiationReadings): NegotiationReadings {
  const histories: Record<string, unknown> = {}
  for (const [clauseId, history] of Object.entries(readings.histories)) {
    const {
      proposals: _proposals,
      provenance,
      ...rest
    } = history as {
      proposals?: unknown
      provenance?: Array<Record<string, unknown>>
    }
    histories[clauseId] = {
      ...rest,
      ...(provenance
        ? {
            provenance: provenance.map(({ proposalId, ...entry }) => ({
              ...entry,
              suggestionId: proposalId,
              changeId: null,
            })),
          }
        : {}),
    }
  }
  return { ...readings, histories }
}

/** The names of every element in a document's rich text. */
function elementNames(doc: Y.Doc): string[] {
  const names: string[] = []
  const walk = (node: Y.XmlFragment | Y.XmlElement) => {
    for (const child of node.toArray()) {
      if (!(child instanceof Y.XmlElement)) continue
      names.push(child.nodeName)
      walk(child)
    }
  }
  walk(doc.getXmlFragment('default'))
  return names
}
