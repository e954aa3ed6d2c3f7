/**
 * The headers a process adds to a connection or request it forwards to the negotiation's owner
 * (Forwarding.ts), and their check on arrival. They say that the request was forwarded (so it is
 * never forwarded again), by which process, and for which client address (so that the owner's
 * rate limits, sign-in throttling and audit log see the client, not the forwarding process).
 *
 * `x-onetext-hop: v1.<ms since 1970>.<forwarding process's owner id>.<signature>` and
 * `x-onetext-client-address: <address>`, where the signature is the HMAC-SHA256 (base64url) with the
 * cluster secret of the version, method, target, address, process and time. A client does not
 * know the secret: a request that carries either header without a valid signature, or signed
 * longer than HOP_MAX_SKEW_MS away from this process's clock, is refused.
 */
import { createHmac, timingSafeEqual } from 'node:crypto'
import type { IncomingHttpHeaders } from 'node:http'

/** The header that marks (and authenticates) a forwarded connection or request. */
export const HOP_HEADER = 'x-onetext-hop'
/** The header that carries the original client's address of a forwarded request. */
export const CLIENT_ADDRESS_HEADER = 'x-onetext-client-address'
/**
 * How far a forwarded request's signing time may lie from the receiver's clock (ms), either way:
 * the processes' clocks must agree within it (NTP keeps them far closer).
 */
export const HOP_MAX_SKEW_MS = 300_000
/** Longest client address or process id a hop may carry. */
const MAX_HOP_FIELD_LENGTH = 200

/** What a valid hop says. */
export interface Hop {
  /** The original client's address. */
  readonly address: string
  /** The owner id of the process that forwarded it. */
  readonly via: string
}

/** How a request's hop headers checked out: absent, valid, or present but not valid. */
export type HopCheck = { kind: 'none' } | { kind: 'valid'; hop: Hop } | { kind: 'forged' }

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? undefined : value
}

/** Signs and checks hop headers with one cluster secret. */
export class HopSigner {
  /** `secret` is the cluster secret every process of the deployment shares. */
  constructor(private readonly secret: string) {}

  /**
   * The headers for forwarding `method` `target` (the request's path and query) of the client at
   * `address`, forwarded by the process `via`, signed at `now` (default: this clock).
   */
  sign(
    method: string,
    target: string,
    address: string,
    via: string,
    now = Date.now(),
  ): Record<string, string> {
    const signature = this.signature(method, target, address, via, now)
    return {
      [HOP_HEADER]: `v1.${now}.${via}.${signature}`,
      [CLIENT_ADDRESS_HEADER]: address,
    }
  }

  /**
   * Checks the hop headers of a request for `method` `target` with `headers`: `none` when it
   * carries neither, `valid` with what they say, `forged` otherwise.
   */
  check(method: string, target: string, headers: IncomingHttpHeaders, now = Date.now()): HopCheck {
    const hopValue = headers[HOP_HEADER]
    const addressValue = headers[CLIENT_ADDRESS_HEADER]
    if (hopValue === undefined && addressValue === undefined) return { kind: 'none' }
    const hop = single(hopValue)
    const address = single(addressValue)
    if (hop === undefined || address === undefined || address.length > MAX_HOP_FIELD_LENGTH)
      return { kind: 'forged' }
    const parts = hop.split('.')
    if (parts.length !== 4 || parts[0] !== 'v1') return { kind: 'forged' }
    const [, at, via = '', given = ''] = parts
    const time = Number(at)
    if (!/^\d{1,16}$/.test(at ?? '') || Math.abs(now - time) > HOP_MAX_SKEW_MS)
      return { kind: 'forged' }
    if (via === '' || via.length > MAX_HOP_FIELD_LENGTH) return { kind: 'forged' }
    const expected = Buffer.from(this.signature(method, target, address, via, time))
    const actual = Buffer.from(given)
    if (actual.length !== expected.length || !timingSafeEqual(actual, expected))
      return { kind: 'forged' }
    return { kind: 'valid', hop: { address, via } }
  }

  private signature(
    method: string,
    target: string,
    address: string,
    via: string,
    at: number,
  ): string {
    return createHmac('sha256', this.secret)
      .update(['v1', method.toUpperCase(), target, address, via, String(at)].join('\n'))
      .digest('base64url')
  }
}
