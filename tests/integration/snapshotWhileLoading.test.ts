/**
 * A client that asks for the whole document while the server is still building it from its stored
 * snapshot is answered with the snapshot at once (ClientConnection, DocumentRegistry.open), so that
 * the client applies it while the server builds its own copy. The document's load is held here by
 * a store whose read the test releases, so that the client's request is certain to arrive first.
 */
import type { AddressInfo } from 'node:net'
import { messageSync, syncStep1, syncStep2, syncUpdate } from '@onetext/shared/protocol'
import { afterEach, describe, expect, it } from 'vitest'
import { WebSocketServer } from 'ws'
import * as Y from 'yjs'
import {
  DOCUMENT_FORMAT,
  type DocumentStore,
  type PendingUpdate,
  type SetAsideRecord,
  type StoredDocument,
} from '../../server/src/storage/DocumentStore'
import { ClientConnection } from '../../server/src/sync/ClientConnection'
import { DocumentRegistry } from '../../server/src/sync/DocumentRegistry'
import { SERVER_ORIGIN } from '../../server/src/sync/origins'
import { PersistenceQueue } from '../../server/src/sync/PersistenceQueue'
import { DEFAULT_BACKLOG_LIMITS } from '../../server/src/sync/SendBacklog'
import type { SharedDocument } from '../../server/src/sync/SharedDocument'
import { TurnCork } from '../../server/src/sync/TurnCork'
import { openRawSocket, type RawSocket, syncPayload } from '../helpers/rawSocket'

const DOC = 'held.draft'

/** A document store in memory whose loads wait until the test releases them. */
class HeldStore implements DocumentStore {
  private release: () => void = () => {}
  private readonly released = new Promise<void>((resolve) => {
    this.release = resolve
  })

  constructor(private readonly snapshot: Uint8Array) {}

  /** Lets loads proceed. */
  open(): void {
    this.release()
  }

  async load(): Promise<StoredDocument> {
    await this.released
    return {
      snapshot: this.snapshot,
      snapshotSeq: 0,
      snapshotIntact: true,
      updates: [],
      seqs: [],
      lastSeq: 0,
    }
  }

  async append(batch: readonly PendingUpdate[]): Promise<Map<string, number>> {
    return new Map(batch.map(({ docName }) => [docName, 1]))
  }

  async compact(): Promise<void> {}

  async setAside(): Promise<void> {}

  async listSetAside(): Promise<SetAsideRecord[]> {
    return []
  }

  async countSetAside(): Promise<number> {
    return 0
  }

  async tailLength(): Promise<number> {
    return 0
  }

  async exists(): Promise<boolean> {
    return true
  }
  async documentNames(): Promise<string[]> {
    return []
  }

  async documentFormat(): Promise<number> {
    return DOCUMENT_FORMAT
  }

  async setDocumentFormat(): Promise<void> {}
}

/** A text stored as a snapshot. */
function storedText(text: string): Uint8Array {
  const doc = new Y.Doc()
  doc.getText('t').insert(0, text)
  return Y.encodeStateAsUpdate(doc)
}

/**
 * Starts a websocket server whose every connection is a ClientConnection to {@link DOC}, over a
 * registry of `store` (with `hook` run after each load, if given).
 */
async function startSyncServer(
  store: HeldStore,
  hook?: (document: SharedDocument) => Promise<void>,
) {
  const persistence = new PersistenceQueue(store)
  const registry = new DocumentRegistry(store, persistence, 60_000, () => {})
  if (hook) registry.onAfterLoad(hook)
  const cork = new TurnCork()
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' })
  let messageArrived: () => void = () => {}
  const firstMessage = new Promise<void>((resolve) => {
    messageArrived = resolve
  })
  wss.on('connection', (ws, request) => {
    new ClientConnection(ws, request.socket, {
      docName: DOC,
      negotiationId: 'held',
      identity: { id: 'u1', name: 'Reader', color: '#000000', role: 'mediator', partyId: null },
      access: 'write',
      sessionHash: 'no-session',
      registry,
      persistence,
      cork,
      backlogLimits: DEFAULT_BACKLOG_LIMITS,
      log: () => {},
    })
    // Registered after the connection's own listener: the connection has queued the message.
    ws.once('message', () => messageArrived())
  })
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()))
  const { port } = wss.address() as AddressInfo
  return { wss, url: `http://127.0.0.1:${port}`, firstMessage }
}

/** The kind of sync frame: 'step1', 'step2', 'update', or null for other frames. */
function syncKind(frame: Uint8Array): string | null {
  if (frame[0] !== messageSync) return null
  if (frame[1] === syncStep1) return 'step1'
  if (frame[1] === syncStep2) return 'step2'
  if (frame[1] === syncUpdate) return 'update'
  return null
}

describe('a whole-document request while the document loads from its snapshot', () => {
  const cleanups: Array<() => void> = []

  afterEach(() => {
    for (const cleanup of cleanups.splice(0)) cleanup()
  })

  async function connectWhileHeld(
    store: HeldStore,
    hook?: (document: SharedDocument) => Promise<void>,
  ) {
    const server = await startSyncServer(store, hook)
    const raw: RawSocket = openRawSocket(server.url, DOC, null)
    cleanups.push(() => {
      raw.ws.close()
      server.wss.close()
    })
    await raw.opened
    const answered = raw.askForDocument()
    await server.firstMessage
    store.open()
    const step2 = await answered
    // The server's own step 1 is sent once the document has loaded.
    if (!raw.frames.some((frame) => syncKind(frame) === 'step1'))
      await raw.nextFrame((frame) => syncKind(frame) === 'step1')
    return { raw, step2 }
  }

  it('is answered with the stored snapshot before the server has built the document', async () => {
    const snapshot = storedText('Stored national language.')
    const store = new HeldStore(snapshot)
    const { raw, step2 } = await connectWhileHeld(store)

    const kinds = raw.frames.map(syncKind).filter((kind) => kind !== null)
    expect(kinds.slice(0, 2)).toEqual(['step2', 'step1'])
    expect(syncPayload(step2)).toEqual(snapshot)
    const doc = new Y.Doc()
    Y.applyUpdate(doc, syncPayload(step2))
    expect(doc.getText('t').toString()).toBe('Stored national language.')
  })

  it('is sent afterwards whatever a load hook changed', async () => {
    const store = new HeldStore(storedText('Stored text.'))
    const { raw, step2 } = await connectWhileHeld(store, async (document) => {
      document.doc.transact(() => document.doc.getText('t').insert(0, 'Hook: '), SERVER_ORIGIN)
    })

    const doc = new Y.Doc()
    Y.applyUpdate(doc, syncPayload(step2))
    expect(doc.getText('t').toString()).toBe('Stored text.')
    const rest = raw.frames.find((frame) => syncKind(frame) === 'update')
    const update = rest ?? (await raw.nextFrame((frame) => syncKind(frame) === 'update'))
    Y.applyUpdate(doc, syncPayload(update))
    expect(doc.getText('t').toString()).toBe('Hook: Stored text.')
  })
})
