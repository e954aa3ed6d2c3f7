/**
 * Forwards one HTTP request to the negotiation's owner and streams the answer back: the request's
 * body is piped to the owner as it arrives and the owner's answer (status, headers, body) to the
 * client, each with the streams' backpressure. Called from an `onRequest` hook, before Fastify
 * reads the body; the reply is hijacked once the owner has answered.
 */
import http from 'node:http'
import { pipeline } from 'node:stream'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { forwardableHeaders } from './forwardHeaders'

/**
 * Longest a forwarded request may go without a byte moving either way (ms) before it is given up:
 * the owner stalled. An answer not yet begun is then a 503 that clients retry.
 */
export const FORWARD_IDLE_TIMEOUT_MS = 30_000

/** How a forward ended before the owner answered, or that it did. */
export type ForwardOutcome = 'answered' | 'unreachable'

/**
 * Sends `request` to `ownerUrl` (an INTERNAL_URL) with `hopHeaders` added, through `agent`, and
 * streams the owner's answer to `reply`. Resolves `answered` once the answer has begun (the reply
 * is hijacked; its body keeps streaming), or `unreachable` when the owner could not be reached
 * or did not begin an answer (nothing was sent to the client: the caller answers).
 */
export function forwardHttp(
  request: FastifyRequest,
  reply: FastifyReply,
  ownerUrl: string,
  hopHeaders: Record<string, string>,
  agent: http.Agent,
  idleTimeoutMs = FORWARD_IDLE_TIMEOUT_MS,
): Promise<ForwardOutcome> {
  return new Promise((resolve) => {
    const raw = request.raw
    let answered = false
    const owner = new URL(ownerUrl)
    // The target exactly as received (and signed): no normalisation on the way.
    const upstream = http.request({
      host: owner.hostname.replace(/^\[|\]$/g, ''),
      port: owner.port || 80,
      path: raw.url ?? '/',
      method: raw.method ?? 'GET',
      headers: { ...forwardableHeaders(raw.headers), ...hopHeaders },
      agent,
    })
    upstream.setTimeout(idleTimeoutMs, () => upstream.destroy(new Error('the owner went quiet')))
    upstream.on('response', (response) => {
      answered = true
      reply.hijack()
      reply.raw.writeHead(response.statusCode ?? 502, forwardableHeaders(response.headers))
      pipeline(response, reply.raw, (error) => {
        if (error) reply.raw.destroy()
      })
      resolve('answered')
    })
    upstream.on('error', () => {
      raw.unpipe(upstream)
      if (answered) reply.raw.destroy()
      else resolve('unreachable')
    })
    // pipe, not pipeline: an owner that cannot be reached must not destroy the client's socket,
    // which still gets its answer.
    raw.pipe(upstream)
    // The client gone before its answer was complete: so is the forwarded request.
    reply.raw.on('close', () => {
      if (!reply.raw.writableFinished) upstream.destroy()
    })
  })
}
