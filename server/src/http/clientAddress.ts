/**
 * The client's address of a request: the one a forwarding process vouched for (a request another
 * process forwarded to this one with a valid hop signature, see `cluster/hopSignature.ts`), else
 * the one Fastify derives from the socket through the trusted proxies (TRUST_PROXY). Rate limits,
 * the sign-in throttle and the audit log all read it here.
 */
import type { IncomingMessage } from 'node:http'
import type { FastifyRequest } from 'fastify'

const vouched = new WeakMap<IncomingMessage, string>()

/** Records that `raw` was forwarded for the client at `address` (its hop was checked). */
export function recordForwardedAddress(raw: IncomingMessage, address: string): void {
  vouched.set(raw, address)
}

/** The address a forwarding process vouched for `raw`, or undefined when it was not forwarded. */
export function forwardedAddressOf(raw: IncomingMessage): string | undefined {
  return vouched.get(raw)
}

/** The client's address of `request` (forwarded, or through the trusted proxies). */
export function clientAddressOf(request: FastifyRequest): string {
  return vouched.get(request.raw) ?? request.ip
}
