/**
 * Any process accepts any connection and request: one for a negotiation another live process
 * owns (its lease row names the owner and where it is reached) is forwarded to the owner, a
 * websocket upgrade to `/sync/<negotiation>.…` by forwardSocket.ts and an HTTP request under
 * `/api/negotiations/<id>` by forwardHttp.ts. Forwarded ones carry signed hop headers
 * (hopSignature.ts): the owner serves them itself, never forwarding them again (when it no longer
 * owns the negotiation it refuses them as before, 4504 or 503, and clients retry), and takes the
 * client's address from them. A request whose hop headers do not check out is refused (403).
 *
 * When no live process holds the lease, or the owner did not say where it is reached, this process
 * serves the request itself (and so takes the lease); when the owner cannot be reached the client
 * is told to retry (4504 or 503), and once the dead owner's lease has expired the retry takes over.
 */
import http from 'node:http'
import type { Duplex } from 'node:stream'
import { isValidId } from '@onetext/shared/documentNames'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { WebSocketServer } from 'ws'
import { recordForwardedAddress } from '../http/clientAddress'
import { HttpError } from '../http/HttpError'
import type { Logger } from '../logger'
import { LeaseLostError, negotiationOfDocument } from '../storage/LeaseLostError'
import type { LeaseHolder, NegotiationLeases } from '../storage/postgres/NegotiationLeases'
import type { IndexedConnection } from '../sync/ConnectionIndex'
import { forwardHttp } from './forwardHttp'
import { forwardSocket, type RelayedSocket, rejectUpgrade, relayTarget } from './forwardSocket'
import { type Hop, HopSigner } from './hopSignature'

/** The negotiation a `/sync/<document>` path is for, or null. */
export function negotiationOfSyncPath(url: string): string | null {
  const path = url.split('?')[0] ?? ''
  if (!path.startsWith('/sync/')) return null
  try {
    return negotiationOfDocument(decodeURIComponent(path.slice('/sync/'.length)))
  } catch {
    return null
  }
}

/** The negotiation an `/api/negotiations/<id>[/…]` path is for, or null. */
export function negotiationOfApiPath(url: string): string | null {
  const match = /^\/api\/negotiations\/([^/?#]+)(?:[/?#]|$)/.exec(url)
  if (!match?.[1]) return null
  try {
    const id = decodeURIComponent(match[1])
    return isValidId(id) ? id : null
  } catch {
    return null
  }
}

/** What forwarding needs. */
export interface ForwardingOptions {
  /** This process's leases (its owner id names it in hops). */
  leases: NegotiationLeases
  /** The cluster secret every process of the deployment shares. */
  secret: string
  /** Completes forwarded upgrades' client side (the server's own websocket server). */
  wss: WebSocketServer
  logger: Logger
  /** The client's address of an upgrade, through the trusted proxies. */
  address: (request: http.IncomingMessage) => string
  /** Told each websocket forwarded to `holder` once the owner accepted it (hand-over requests). */
  onForwarded?: (negotiationId: string, holder: LeaseHolder) => void
}

/** Forwarding's counters, as /metrics shows them. */
export interface ForwardingMetrics {
  /** Websockets this process relays to an owner now. */
  forwardedConnections: number
  /** Websockets relayed to an owner since start. */
  forwardedConnectionsTotal: number
  /** HTTP requests forwarded to an owner (and answered by it) since start. */
  forwardedRequestsTotal: number
  /** Forwards refused because the owner could not be reached (clients told to retry). */
  forwardUnreachableTotal: number
  /** Websockets open here that another process forwarded. */
  receivedForwardedConnections: number
}

/** The forwarding of one process. */
export class Forwarding {
  private readonly signer: HopSigner
  private readonly agent = new http.Agent({ keepAlive: true })
  private readonly relays = new Set<RelayedSocket>()
  private readonly received = new WeakMap<http.IncomingMessage, Hop>()
  private readonly viaOf = new WeakMap<IndexedConnection, string>()
  private readonly inbound = new Set<IndexedConnection>()
  private selfUrl: string | null = null
  private connectionsTotal = 0
  private requestsTotal = 0
  private unreachableTotal = 0

  constructor(private readonly options: ForwardingOptions) {
    this.signer = new HopSigner(options.secret)
  }

  /** Sets where this process is reached (its INTERNAL_URL): never forwards to itself. */
  setSelf(url: string): void {
    this.selfUrl = url
  }

  /**
   * The Fastify `onRequest` hook: refuses forged hop headers (403 `forged-hop`), serves forwarded
   * requests here, and forwards a request under `/api/negotiations/<id>` another live process
   * owns to it (503 `owned-elsewhere`, retried by clients, when it cannot be reached).
   */
  readonly onRequest = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    if (this.checkHop(request.raw) !== null) return
    const negotiationId = negotiationOfApiPath(request.url)
    if (negotiationId === null) return
    const owner = await this.ownerOf(negotiationId)
    if (!owner) return
    const hop = this.signer.sign(request.method, request.url, request.ip, this.options.leases.owner)
    const outcome = await forwardHttp(request, reply, owner.address, hop, this.agent)
    if (outcome === 'unreachable') {
      this.unreachableTotal += 1
      request.log.warn(`the owner of ${negotiationId} could not be reached`)
      throw new LeaseLostError(negotiationId)
    }
    this.requestsTotal += 1
  }

  /**
   * Handles a websocket upgrade: refuses forged hop headers (403), hands forwarded ones and those
   * this process serves itself to `local`, and forwards those for a negotiation another live
   * process owns.
   */
  onUpgrade(
    request: http.IncomingMessage,
    socket: Duplex,
    head: Buffer,
    local: (request: http.IncomingMessage, socket: Duplex, head: Buffer) => void,
  ): void {
    let hop: Hop | null
    try {
      hop = this.checkHop(request)
    } catch {
      socket.on('error', () => socket.destroy())
      rejectUpgrade(socket, 403, 'Forbidden')
      return
    }
    const negotiationId = hop ? null : negotiationOfSyncPath(request.url ?? '/')
    if (negotiationId === null) {
      local(request, socket, head)
      return
    }
    socket.on('error', () => socket.destroy())
    this.ownerOf(negotiationId)
      .then((owner) => {
        if (socket.destroyed) return
        if (!owner) {
          local(request, socket, head)
          return
        }
        const target = relayTarget(request.url ?? '/', owner.address)
        const signed = this.signer.sign(
          'GET',
          `${target.pathname}${target.search}`,
          this.options.address(request),
          this.options.leases.owner,
        )
        forwardSocket(request, socket, head, target, signed, this.options.wss, {
          opened: (relay) => {
            this.relays.add(relay)
            this.connectionsTotal += 1
            this.options.onForwarded?.(negotiationId, owner)
          },
          closed: (relay) => this.relays.delete(relay),
          unreachable: () => {
            this.unreachableTotal += 1
            this.options.logger.warn(`the owner of ${negotiationId} could not be reached`)
          },
        })
      })
      .catch((error: unknown) => {
        this.options.logger.error({ err: error }, 'forwarding an upgrade failed')
        socket.destroy()
      })
  }

  /** Records that `connection` was opened by `request` (forwarded ones: through which process). */
  opened(connection: IndexedConnection, request: http.IncomingMessage): void {
    const hop = this.received.get(request)
    if (!hop) return
    this.viaOf.set(connection, hop.via)
    this.inbound.add(connection)
  }

  /** Forgets a connection recorded by {@link opened}. */
  closed(connection: IndexedConnection): void {
    this.inbound.delete(connection)
  }

  /** The process `connection` was forwarded through (its owner id), or null for a direct one. */
  via(connection: IndexedConnection): string | null {
    return this.viaOf.get(connection) ?? null
  }

  /** The counters for /metrics. */
  metrics(): ForwardingMetrics {
    return {
      forwardedConnections: this.relays.size,
      forwardedConnectionsTotal: this.connectionsTotal,
      forwardedRequestsTotal: this.requestsTotal,
      forwardUnreachableTotal: this.unreachableTotal,
      receivedForwardedConnections: this.inbound.size,
    }
  }

  /**
   * Closes every relayed websocket (the client with `event`, the owner's side as going away) and
   * the idle connections to the owners.
   */
  close(event: { code: number; reason: string; retry: boolean }): void {
    for (const relay of [...this.relays]) relay.close(event)
    this.agent.destroy()
  }

  /**
   * The hop `raw` carries when it was forwarded (recorded with its client's address), null when it
   * carries none; throws a 403 HttpError (`forged-hop`) when its hop headers do not check out.
   */
  private checkHop(raw: http.IncomingMessage): Hop | null {
    const check = this.signer.check(raw.method ?? 'GET', raw.url ?? '/', raw.headers)
    if (check.kind === 'none') return null
    if (check.kind === 'forged') {
      this.options.logger.warn('refused a request with forwarding headers that do not check out')
      throw new HttpError(
        403,
        'forged-hop',
        'This request carries forwarding headers only the server processes may set.',
      )
    }
    this.received.set(raw, check.hop)
    recordForwardedAddress(raw, check.hop.address)
    return check.hop
  }

  /** The live owner of `negotiationId` to forward to, or null to serve it here. */
  private async ownerOf(
    negotiationId: string,
  ): Promise<(LeaseHolder & { address: string }) | null> {
    const leases = this.options.leases
    if (leases.tokenOf(negotiationId) !== null) return null
    let holder: LeaseHolder | null
    try {
      holder = await leases.holder(negotiationId)
    } catch {
      return null
    }
    if (!holder?.address || holder.address === this.selfUrl) return null
    return { owner: holder.owner, address: holder.address }
  }
}
