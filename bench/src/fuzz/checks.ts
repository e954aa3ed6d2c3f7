/**
 * The checks after the fuzz: every honest client saved and holding exactly what the server holds,
 * no document breaking a promise of the gate (invariants.ts), and, after a restart over the same
 * data, every document exactly what the live server held. Each adds findings; the documents are
 * checked side by side so that the waits for late clients overlap.
 */
import fs from 'node:fs'
import path from 'node:path'
import * as Y from 'yjs'
import type { FuzzUser } from './attacker'
import {
  type DocDigest,
  digestDifference,
  digestOf,
  fetchServerDoc,
  itemDifference,
  sameDigest,
} from './docState'
import type { FuzzFinding } from './findings'
import { converged, type HonestClient, honestSaved } from './honest'
import { gateBreaches } from './invariants'
import { FUZZ_DOCUMENTS, kindOf } from './session'

/** What the checks need. */
export interface CheckSetup {
  url: string
  /** Where copies that differ are saved, for a look with Yjs. */
  dataDir: string
  honest: readonly HonestClient[]
  /** Every user of the run (the names annotations may carry). */
  users: readonly FuzzUser[]
  /** Who reads `docName` for the checks. */
  reader: (docName: string) => FuzzUser
  /** The roots each document held before the run. */
  rootsBefore: ReadonlyMap<string, readonly string[]>
  timeoutMs: number
  findings: FuzzFinding[]
}

/** How long a client may take to be saved, or to catch up with the server, once the fuzz is over. */
function settleMs(setup: CheckSetup): number {
  return Math.min(setup.timeoutMs, 10_000)
}

/** Checks one document: the gate's promises, and its honest clients against the server's copy. */
async function checkDocument(setup: CheckSetup, docName: string): Promise<DocDigest> {
  const { findings } = setup
  const token = setup.reader(docName).token
  const serverDoc = await fetchServerDoc(setup.url, docName, token, setup.timeoutMs)
  const digest = digestOf(serverDoc)
  const before = setup.rootsBefore.get(docName) ?? []
  for (const breach of gateBreaches(serverDoc, kindOf(docName), setup.users, before))
    findings.push({ kind: 'gate', detail: `${docName}: ${breach}` })
  const clients = setup.honest.filter((client) => client.docName === docName)
  const refused = clients.filter((client) => client.refusals.length > 0)
  const waiting = clients.filter((client) => client.refusals.length === 0)
  const late = [
    ...refused.map((client) => client.name),
    ...((await converged(waiting, digest, settleMs(setup))) ?? []),
  ]
  for (const name of late) {
    const client = clients.find((c) => c.name === name)
    if (!client) continue
    const saved = path.join(setup.dataDir, `divergence-${name.replace(/[^a-z0-9.-]/gi, '_')}`)
    fs.writeFileSync(`${saved}.server.bin`, Y.encodeStateAsUpdate(serverDoc))
    fs.writeFileSync(`${saved}.client.bin`, Y.encodeStateAsUpdate(client.doc))
    const difference = digestDifference(digestOf(client.doc), digest)
    const items = itemDifference(client.doc, serverDoc)
    findings.push({
      kind: 'divergence',
      detail: `${name} differs from the server: ${difference}${items ? ` (client/server: ${items})` : ''} (both saved as ${saved}.*.bin)`,
    })
  }
  return digest
}

/**
 * Waits for the honest clients to be saved, then checks every document; resolves with the
 * server's digest of each (the live documents, for {@link checkReload}).
 */
export async function checkDocuments(setup: CheckSetup): Promise<Map<string, DocDigest>> {
  const { findings, honest } = setup
  // A client with a refused change never gets it saved (a stock client does not rebuild): no wait.
  await Promise.all(
    honest
      .filter((client) => client.kind !== 'status' && client.refusals.length === 0)
      .map((client) =>
        honestSaved(client, settleMs(setup)).catch((error: unknown) => {
          findings.push({ kind: 'divergence', detail: String(error) })
        }),
      ),
  )
  const digests = await Promise.all(FUZZ_DOCUMENTS.map((name) => checkDocument(setup, name)))
  for (const client of honest) {
    if (client.doc.clientID !== client.clientId)
      findings.push({
        kind: 'anomaly',
        detail: `${client.name}: someone else wrote under its client ID ${client.clientId}`,
      })
    // The first refusal; a stock client's later changes build on it and are refused too.
    const [first, ...after] = client.refusals
    if (first)
      findings.push({
        kind: 'honest-refused',
        detail: `${client.name}: ${first}${after.length > 0 ? ` (and ${after.length} later changes refused after it)` : ''}`,
      })
  }
  return new Map(FUZZ_DOCUMENTS.map((name, index) => [name, digests[index] as DocDigest]))
}

/** Checks that the server (started again over the same data) holds exactly `live`. */
export async function checkReload(setup: CheckSetup, live: ReadonlyMap<string, DocDigest>) {
  for (const [docName, digest] of live) {
    const token = setup.reader(docName).token
    const reloaded = digestOf(await fetchServerDoc(setup.url, docName, token, setup.timeoutMs))
    if (!sameDigest(reloaded, digest))
      setup.findings.push({
        kind: 'reload',
        detail: `${docName} after a restart: ${digestDifference(reloaded, digest)}`,
      })
  }
}
