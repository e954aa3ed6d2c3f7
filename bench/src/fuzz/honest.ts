/**
 * Honest clients: stock y-websocket providers (with the PersistenceTracker, the BroadcastChannel
 * off) typing valid edits alongside the fuzz. At the end each must hold exactly what the server
 * holds; a refusal of one of their edits is a finding too (the gate refused an honest change).
 */
import type { DocumentKind } from '@onetext/shared/documentNames'
import { PersistenceTracker } from '@onetext/shared/persistenceTracker'
import { PROTOCOL_PARAMS } from '@onetext/shared/protocol'
import WebSocket from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import type { FuzzUser } from './attacker'
import { type DocDigest, digestOf, sameDigest } from './docState'
import { honestEdit } from './edits'
import type { FuzzRandom } from './random'

/** One honest client of one document. */
export interface HonestClient {
  name: string
  docName: string
  kind: DocumentKind
  user: FuzzUser
  doc: Y.Doc
  /**
   * The client ID the client started with. Yjs picks a new one when an update from elsewhere writes
   * under its ID: a foreign write the gate let through.
   */
  clientId: number
  provider: WebsocketProvider
  tracker: PersistenceTracker
  /** Refusals the server sent this client, as `reason: text`. */
  refusals: string[]
  /** Edits made. */
  edits: number
  destroy(): void
}

/** Connects an honest client of `docName` as `user`. */
export function connectHonest(
  baseUrl: string,
  user: FuzzUser,
  docName: string,
  kind: DocumentKind,
  name: string,
): HonestClient {
  const doc = new Y.Doc()
  const tracker = new PersistenceTracker()
  const provider = new WebsocketProvider(`${baseUrl.replace(/^http/, 'ws')}/sync`, docName, doc, {
    WebSocketPolyfill: tracker.socketClass(WebSocket) as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    params: { ...PROTOCOL_PARAMS, token: user.token },
    maxBackoffTime: 250,
  })
  tracker.attach(provider)
  const client: HonestClient = {
    name,
    docName,
    kind,
    user,
    doc,
    clientId: doc.clientID,
    provider,
    tracker,
    refusals: [],
    edits: 0,
    destroy() {
      provider.destroy()
      doc.destroy()
    },
  }
  tracker.onRefused((refusal) => client.refusals.push(`${refusal.reason}: ${refusal.text}`))
  return client
}

/** Resolves once the client has synced with the server; rejects after `timeoutMs`. */
export function honestSynced(client: HonestClient, timeoutMs: number): Promise<void> {
  const { provider } = client
  if (provider.synced) return Promise.resolve()
  return withTimeout(
    new Promise<void>((resolve) => provider.once('sync', () => resolve())),
    timeoutMs,
    `${client.name} did not sync`,
  )
}

/** Makes one valid edit; returns its name. */
export function honestType(client: HonestClient, random: FuzzRandom): string {
  client.edits++
  return honestEdit(client.doc, client.kind, random, client.user)
}

/** Resolves once everything the client wrote is acknowledged as on disk; rejects after `timeoutMs`. */
export function honestSaved(client: HonestClient, timeoutMs: number): Promise<void> {
  return withTimeout(client.tracker.whenSaved(), timeoutMs, `${client.name} was not saved`)
}

/**
 * Resolves with null once every client's copy equals `server` (re-checked on each update), or with
 * the names of those that still differ after `timeoutMs`.
 */
export async function converged(
  clients: readonly HonestClient[],
  server: DocDigest,
  timeoutMs: number,
): Promise<string[] | null> {
  const waiting = clients.map(
    (client) =>
      new Promise<HonestClient | null>((resolve) => {
        const check = () => {
          if (!sameDigest(digestOf(client.doc), server)) return false
          client.doc.off('update', onUpdate)
          clearTimeout(timer)
          resolve(null)
          return true
        }
        const onUpdate = () => void check()
        const timer = setTimeout(() => {
          client.doc.off('update', onUpdate)
          resolve(client)
        }, timeoutMs)
        if (!check()) client.doc.on('update', onUpdate)
      }),
  )
  const late = (await Promise.all(waiting)).filter((client) => client !== null)
  return late.length === 0 ? null : late.map((client) => client.name)
}

/** `promise`, or a rejection with `message` after `timeoutMs`. */
export function withTimeout<T>(
  promise: Promise<T>,
  timeoutMs: number,
  message: string,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${message} within ${timeoutMs} ms`)),
      timeoutMs,
    )
    promise.then(
      (value) => {
        clearTimeout(timer)
        resolve(value)
      },
      (error: unknown) => {
        clearTimeout(timer)
        reject(error)
      },
    )
  })
}
