/**
 * Forwarding between two server processes on one PostgreSQL database (two servers in this test
 * process): a client connected to the process that does not own its negotiation edits through
 * the owner (relayed frames both ways) and converges with the owner's clients, its edits
 * acknowledged once on disk; HTTP requests through the non-owner reach the owner, with the
 * client's address; forwarding headers a client forges are refused; an owner that cannot be
 * reached gets the client told to retry, and the retry takes the negotiation over once the dead
 * owner's lease has expired.
 */
import net, { type Socket } from 'node:net'
import { OwnedElsewhere } from '@onetext/shared/closeCodes'
import { PROTOCOL_PARAMS } from '@onetext/shared/protocol'
import pg from 'pg'
import { afterEach, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { CLIENT_ADDRESS_HEADER, HOP_HEADER, HopSigner } from '../../server/src/cluster/hopSignature'
import { expireLease } from '../helpers/postgresDatabase'
import { openRawSocket } from '../helpers/rawSocket'
import { type SharedStoreServer as Server, useSharedStore } from '../helpers/sharedStore'
import { circulateAsMediator, loadStoredDoc, login } from '../helpers/testServer'
import {
  appendParagraph,
  appendUntil,
  plainText,
  waitForDoc,
  whenClosed,
  whenSynced,
} from '../helpers/yClient'

const N = 'lmp-1997'
/** The owner's backlog limit in the backpressure test (frames waiting for one connection). */
const SLOW_MAX_FRAMES = 50
/** Big enough that the sockets' buffers fill after a few hundred frames. */
const PARAGRAPH = 'The parties agree to meet and confer in good faith. '.repeat(600)
const DRAFT = `${N}.draft`

/** What /metrics says about forwarding. */
interface ForwardMetrics {
  forwardedConnections: number
  forwardedConnectionsTotal: number
  forwardedRequestsTotal: number
  forwardUnreachableTotal: number
  receivedForwardedConnections: number
}

async function metrics(server: Server): Promise<ForwardMetrics> {
  return (await (await fetch(`${server.url}/metrics`)).json()) as ForwardMetrics
}

async function owned(server: Server): Promise<string[]> {
  const body = (await (await fetch(`${server.url}/healthz`)).json()) as { owned?: string[] }
  return body.owned ?? []
}

/** A loopback port nothing listens on (taken, then let go). */
async function closedPort(): Promise<number> {
  const server = net.createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as net.AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

/** Opens a raw websocket to `docName` on `server` with extra `headers`; resolves once open. */
function openWithHeaders(
  server: Server,
  token: string,
  headers: Record<string, string>,
  docName = DRAFT,
): Promise<WebSocket> {
  const params = new URLSearchParams({ ...PROTOCOL_PARAMS, token })
  const ws = new WebSocket(`${server.url.replace(/^http/, 'ws')}/sync/${docName}?${params}`, {
    headers,
  })
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws))
    ws.once('unexpected-response', (_request, response) =>
      reject(new Error(`upgrade refused: ${response.statusCode}`)),
    )
    ws.once('error', reject)
  })
}

describe('forwarding to the owner of a negotiation', () => {
  const store = useSharedStore()
  const start = (env: Record<string, string> = {}) => store.start(env)
  const connect = store.connect.bind(store)
  const sockets: WebSocket[] = []
  afterEach(() => {
    for (const socket of sockets.splice(0)) socket.terminate()
  })

  /** A owns the negotiation (a client of its own has saved an edit); B does not. */
  async function ownerAndOther(otherEnv: Record<string, string> = {}) {
    const a = await start()
    const b = await start(otherEnv)
    const onOwner = await connect(a, 'mediator')
    await whenSynced(onOwner)
    appendParagraph(onOwner.doc, 'Typed on the owner.')
    await onOwner.tracker.whenSaved()
    expect(await owned(a)).toEqual([N])
    return { a, b, onOwner }
  }

  it('relays a client of the other process to the owner: both converge, edits acknowledged once on disk', async () => {
    const { a, b, onOwner } = await ownerAndOther()
    const relayed = await connect(b, 'mediator')
    await whenSynced(relayed)
    expect(plainText(relayed.doc)).toContain('Typed on the owner.')
    expect(await owned(b)).toEqual([])
    expect(await metrics(b)).toMatchObject({
      forwardedConnections: 1,
      forwardedConnectionsTotal: 1,
    })
    expect(await metrics(a)).toMatchObject({ receivedForwardedConnections: 1 })

    for (let round = 0; round < 5; round++) {
      appendParagraph(relayed.doc, `Relayed line ${round}.`)
      appendParagraph(onOwner.doc, `Owner line ${round}.`)
    }
    await Promise.all([relayed.tracker.whenSaved(), onOwner.tracker.whenSaved()])
    // Acknowledged means on disk: what storage holds now has every acknowledged line.
    const stored = plainText(await loadStoredDoc(a, DRAFT))
    for (let round = 0; round < 5; round++) {
      expect(stored).toContain(`Relayed line ${round}.`)
      expect(stored).toContain(`Owner line ${round}.`)
    }
    await waitForDoc(relayed.doc, (doc) => plainText(doc) === plainText(onOwner.doc))
    await waitForDoc(onOwner.doc, (doc) => plainText(doc) === plainText(relayed.doc))
    await a.registry.persistence.drain()
    expect(plainText(await loadStoredDoc(a, DRAFT))).toBe(plainText(onOwner.doc))
    expect(await owned(b)).toEqual([])

    // The relayed client leaving closes the owner's side too.
    relayed.provider.destroy()
    await expect.poll(async () => (await metrics(a)).receivedForwardedConnections).toBe(0)
    expect((await metrics(b)).forwardedConnections).toBe(0)
  })

  it('forwards HTTP requests to the owner, with the client address the other process saw', async () => {
    // B believes the proxy on loopback (X-Forwarded-For); A believes no proxy at all.
    const { a, b } = await ownerAndOther({ TRUST_PROXY: '127.0.0.1' })
    const token = await login(b.url, 'mediator@demo.test')
    const viaB = await fetch(`${b.url}/api/negotiations/${N}/clauses`, {
      headers: { authorization: `Bearer ${token}` },
    })
    const onA = await fetch(`${a.url}/api/negotiations/${N}/clauses`, {
      headers: { authorization: `Bearer ${token}` },
    })
    expect(viaB.status).toBe(200)
    expect(await viaB.json()).toEqual(await onA.json())

    // A command that writes under the lease: only the owner could have written it.
    await circulateAsMediator(b.url, 'Circulated through the other process.')
    const iterations = await fetch(`${a.url}/api/negotiations/${N}/iterations`, {
      headers: { authorization: `Bearer ${token}` },
    })
    expect(JSON.stringify(await iterations.json())).toContain(
      'Circulated through the other process.',
    )
    expect(await owned(b)).toEqual([])
    expect((await metrics(b)).forwardedRequestsTotal).toBeGreaterThanOrEqual(2)

    // The owner records the client's address as B derived it, for requests and websockets.
    const observer = await login(b.url, 'observer@demo.test')
    const refused = await fetch(`${b.url}/api/negotiations/${N}/iterations`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${observer}`,
        'content-type': 'application/json',
        'x-forwarded-for': '203.0.113.7',
      },
      body: JSON.stringify({ note: 'not mine to circulate' }),
    })
    expect(refused.status).toBe(403)
    sockets.push(await openWithHeaders(b, token, { 'x-forwarded-for': '203.0.113.8' }))
    await expect
      .poll(async () => {
        await a.audit.flush()
        const entries = await a.audit.listForNegotiation(N, 50)
        return entries.map((entry) => `${entry.action} ${entry.address}`)
      })
      .toEqual(expect.arrayContaining(['request-refused 203.0.113.7', 'document-open 203.0.113.8']))
  })

  it('refuses forwarding headers a client forges', async () => {
    const { a, b } = await ownerAndOther()
    const token = await login(a.url, 'mediator@demo.test')
    const path = `/api/negotiations/${N}/clauses`
    const forgeries: Record<string, string>[] = [
      { [CLIENT_ADDRESS_HEADER]: '198.51.100.1' },
      { [HOP_HEADER]: `v1.${Date.now()}.someone.AAAA`, [CLIENT_ADDRESS_HEADER]: '198.51.100.1' },
      new HopSigner('a secret that is not the cluster secret!').sign(
        'GET',
        path,
        '198.51.100.1',
        'someone',
      ),
      new HopSigner('a secret that is not the cluster secret!').sign(
        'GET',
        path,
        '198.51.100.1',
        'someone',
        Date.now() - 3_600_000,
      ),
    ]
    for (const server of [a, b]) {
      for (const headers of forgeries) {
        const response = await fetch(`${server.url}${path}`, {
          headers: { authorization: `Bearer ${token}`, ...headers },
        })
        expect(response.status).toBe(403)
        expect(await response.json()).toMatchObject({ error: 'forged-hop' })
      }
      await expect(
        openWithHeaders(server, token, forgeries[1] as Record<string, string>),
      ).rejects.toThrow('upgrade refused: 403')
    }
    // The same request without them is served (through B, by A).
    const plain = await fetch(`${b.url}${path}`, { headers: { authorization: `Bearer ${token}` } })
    expect(plain.status).toBe(200)
    // The owner's refusal of an upgrade reaches the client through B unchanged.
    await expect(openWithHeaders(b, 'not-a-session', {})).rejects.toThrow('upgrade refused: 401')
  })

  it('tells clients to retry while the owner cannot be reached, and takes over once its lease expired', async () => {
    const b = await start()
    const port = await closedPort()
    // A dead owner: its lease still live, at an address where nothing answers.
    const client = new pg.Client({ connectionString: store.database.url })
    await client.connect()
    try {
      await client.query(
        `INSERT INTO negotiation_leases (negotiation_id, owner, token, expires_at, address)
         VALUES ($1, 'dead-owner', 100, (extract(epoch FROM clock_timestamp()) * 1000)::bigint + 600000, $2)
         ON CONFLICT (negotiation_id) DO UPDATE SET owner = excluded.owner,
           token = negotiation_leases.token + 100, expires_at = excluded.expires_at,
           address = excluded.address`,
        [N, `http://127.0.0.1:${port}`],
      )
    } finally {
      await client.end()
    }
    const token = await login(b.url, 'mediator@demo.test')
    const command = await fetch(`${b.url}/api/negotiations/${N}/clauses`, {
      headers: { authorization: `Bearer ${token}` },
    })
    expect(command.status).toBe(503)
    expect(command.headers.get('retry-after')).toBe('1')
    expect(await command.json()).toMatchObject({ error: 'owned-elsewhere' })

    const retrying = await connect(b, 'mediator')
    expect((await whenClosed(retrying)).code).toBe(OwnedElsewhere.code)
    expect((await metrics(b)).forwardUnreachableTotal).toBeGreaterThanOrEqual(2)

    await expireLease(store.database.url, N)
    await whenSynced(retrying)
    expect(await owned(b)).toEqual([N])
    appendParagraph(retrying.doc, 'Typed after the takeover.')
    await retrying.tracker.whenSaved()
    expect(plainText(await loadStoredDoc(b, DRAFT))).toContain('Typed after the takeover.')
  })

  it('passes backpressure on: a relayed client that stops reading is dropped by the owner', async () => {
    let dropped: () => void = () => {}
    const droppedLine = new Promise<void>((resolve) => {
      dropped = resolve
    })
    const owner = await store.start(
      {},
      {
        backlogLimits: { maxBytes: 1024 * 1024 * 1024, maxFrames: SLOW_MAX_FRAMES },
        log: (line) => {
          if (line.includes('fallen behind')) dropped()
        },
      },
    )
    const other = await start()
    const writer = await connect(owner, 'mediator')
    await whenSynced(writer)
    const slow = openRawSocket(other.url, DRAFT, await login(other.url, 'mediator@demo.test'))
    await slow.opened
    await slow.askForDocument()
    ;(slow.ws as unknown as { _socket: Socket })._socket.pause()
    await expect.poll(async () => (await metrics(owner)).receivedForwardedConnections).toBe(1)

    // Were the relay to read on regardless, it would hold every frame and the owner would never
    // see a slow reader; it stops reading the owner instead, so the owner's backlog limit applies.
    await appendUntil(writer.doc, droppedLine, PARAGRAPH, 2000)
    await droppedLine
    await expect.poll(async () => (await metrics(owner)).receivedForwardedConnections).toBe(0)
    slow.ws.terminate()
    await writer.tracker.whenSaved()
  })
})
