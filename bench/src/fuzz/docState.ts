/**
 * A document's state as the fuzzer compares it: what the server holds (asked for over a fresh
 * socket, as a client with nothing asks), and a digest of any copy (its state vector and delete set,
 * which fix every item it holds, plus its roots and their content for a readable difference).
 */
import { messageSync, PROTOCOL_PARAMS, syncStep1, syncStep2 } from '@onetext/shared/protocol'
import * as decoding from 'lib0/decoding'
import WebSocket from 'ws'
import * as Y from 'yjs'
import { syncFrame } from './frames'
import { filledRoots } from './invariants'

/** What two copies of a document must agree on. */
export interface DocDigest {
  /** The encoded snapshot (state vector and delete set), in hex. */
  snapshot: string
  /** Root names and their content, as text. */
  content: string
  /** True when the copy holds updates it could not integrate. */
  pending: boolean
}

/** JSON with every object's keys sorted (a Y.Map's key order is the order its copy learnt them). */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    item !== null && typeof item === 'object' && !Array.isArray(item)
      ? Object.fromEntries(Object.entries(item).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : item,
  )
}

/** The content of root `name` read with the type it holds in OneText documents. */
function rootContent(doc: Y.Doc, name: string): string {
  if (name === 'default') return doc.getXmlFragment(name).toString()
  if (name === 'iterations') return canonicalJson(doc.getArray(name).toJSON())
  return canonicalJson(doc.getMap(name).toJSON())
}

/** The digest of `doc`. */
export function digestOf(doc: Y.Doc): DocDigest {
  // A root a copy only asked for (doc.getMap) and never wrote is not in any update: leave it out.
  const names = filledRoots(doc).sort()
  return {
    snapshot: Buffer.from(Y.encodeSnapshot(Y.snapshot(doc))).toString('hex'),
    content: names.map((name) => `${name}: ${rootContent(doc, name)}`).join('\n'),
    pending: doc.store.pendingStructs !== null || doc.store.pendingDs !== null,
  }
}

/** True when two digests describe the same document. */
export function sameDigest(a: DocDigest, b: DocDigest): boolean {
  return a.snapshot === b.snapshot && a.content === b.content && !a.pending && !b.pending
}

/** Where two digests first differ, for a report. */
export function digestDifference(a: DocDigest, b: DocDigest): string {
  if (a.pending || b.pending) return `pending updates: ${a.pending} / ${b.pending}`
  if (a.content !== b.content) {
    let at = 0
    while (at < a.content.length && a.content[at] === b.content[at]) at++
    const around = (text: string) => JSON.stringify(text.slice(Math.max(0, at - 60), at + 60))
    const items =
      a.snapshot === b.snapshot
        ? 'the same items (state vector and delete set) in another order'
        : 'different items'
    return `${items}; content differs at ${at}: ${around(a.content)} / ${around(b.content)}`
  }
  return a.snapshot === b.snapshot ? 'none' : 'state vector or delete set differs'
}

/** An id as `client:clock`. */
function idText(id: Y.ID | null): string {
  return id ? `${id.client}:${id.clock}` : 'null'
}

/**
 * The struct of `doc` holding `id`, for a report: its kind, whether deleted, its origins and, for
 * an entry of a map, every entry of its key from left to right (`~` marks a deleted one).
 */
function describeItem(doc: Y.Doc, id: Y.ID): string {
  const structs = doc.store.clients.get(id.client)
  const struct = structs?.find((s) => s.id.clock <= id.clock && id.clock < s.id.clock + s.length)
  if (!struct) return 'absent'
  if (!(struct instanceof Y.Item))
    return `${struct.constructor.name} ${idText(struct.id)}+${struct.length}`
  const parts = [
    `${struct.content.constructor.name} ${idText(struct.id)}+${struct.length}${struct.deleted ? ' deleted' : ''}`,
    `origin ${idText(struct.origin)} right ${idText(struct.rightOrigin)}`,
  ]
  if (struct.parentSub !== null) {
    let first: Y.Item = struct
    while (first.left) first = first.left
    const chain: string[] = []
    for (let item: Y.Item | null = first; item; item = item.right)
      chain.push(`${item.deleted ? '~' : ''}${idText(item.id)}<${idText(item.origin)}`)
    parts.push(`key ${struct.parentSub}: ${chain.join(' ')}`)
  }
  return parts.join(', ')
}

/**
 * How the items of `a` and `b` differ, for a report: the clients whose clocks differ (`client:
 * clockA/clockB`) and the deleted ranges only one holds (`a deletes client:clock+len`), at most
 * `limit` of each; empty when they hold the same items with the same deletions.
 */
export function itemDifference(a: Y.Doc, b: Y.Doc, limit = 8): string {
  const parts: string[] = []
  const svA = Y.decodeStateVector(Y.encodeStateVector(a))
  const svB = Y.decodeStateVector(Y.encodeStateVector(b))
  const clocks = [...new Set([...svA.keys(), ...svB.keys()])]
    .filter((client) => (svA.get(client) ?? 0) !== (svB.get(client) ?? 0))
    .map((client) => `${client}: ${svA.get(client) ?? 0}/${svB.get(client) ?? 0}`)
  if (clocks.length > 0) parts.push(`clocks ${clocks.slice(0, limit).join(', ')}`)
  const deletedOnly = (x: Y.Doc, y: Y.Doc): string[] => {
    const ds = Y.createDeleteSetFromStructStore(x.store)
    const other = Y.createDeleteSetFromStructStore(y.store)
    const found: string[] = []
    for (const [client, ranges] of ds.clients)
      for (const range of ranges)
        for (let clock = range.clock; clock < range.clock + range.len; clock++)
          if (!Y.isDeleted(other, new Y.ID(client, clock))) {
            const id = new Y.ID(client, clock)
            found.push(`${client}:${clock} [${describeItem(x, id)} | ${describeItem(y, id)}]`)
            break
          }
    return found
  }
  const onlyA = deletedOnly(a, b)
  const onlyB = deletedOnly(b, a)
  if (onlyA.length > 0)
    parts.push(`first deleted only in the first: ${onlyA.slice(0, limit).join(', ')}`)
  if (onlyB.length > 0)
    parts.push(`first deleted only in the second: ${onlyB.slice(0, limit).join(', ')}`)
  return parts.join('; ')
}

/**
 * The document `docName` as the server holds it now, fetched with `token` over a fresh socket
 * (asked for once the server has it in memory, so after its load hooks); rejects when the server
 * refuses or does not answer within `timeoutMs`.
 */
export function fetchServerDoc(
  baseUrl: string,
  docName: string,
  token: string,
  timeoutMs: number,
): Promise<Y.Doc> {
  const query = new URLSearchParams({ ...PROTOCOL_PARAMS, token })
  const ws = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/sync/${docName}?${query}`)
  return new Promise<Y.Doc>((resolve, reject) => {
    const timer = setTimeout(() => {
      ws.terminate()
      reject(new Error(`no answer for ${docName} within ${timeoutMs} ms`))
    }, timeoutMs)
    ws.on('error', () => {})
    ws.on('close', (code) => {
      clearTimeout(timer)
      reject(new Error(`${docName} closed with ${code} before its step 2`))
    })
    ws.on('message', (data: Buffer) => {
      const decoder = decoding.createDecoder(new Uint8Array(data))
      if (decoding.readVarUint(decoder) !== messageSync) return
      const subType = decoding.readVarUint(decoder)
      // The server's own step 1 comes once the document is in memory (load hooks applied): ask then.
      if (subType === syncStep1) ws.send(syncFrame(syncStep1, Y.encodeStateVector(new Y.Doc())))
      if (subType !== syncStep2) return
      const doc = new Y.Doc()
      Y.applyUpdate(doc, decoding.readVarUint8Array(decoder))
      clearTimeout(timer)
      ws.removeAllListeners('close')
      ws.on('close', () => {})
      ws.close()
      resolve(doc)
    })
  })
}
