/**
 * JSON request and response helpers for the HTTP API. Bodies over MAX_JSON_BODY_BYTES are refused
 * with 413; invalid JSON with 400. Every error answer is `{error, message}`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { MAX_JSON_BODY_BYTES } from '@onetext/shared/limits'

/** An error that becomes an HTTP answer with `status` and `{error: code, message}`. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message)
  }
}

/** Sends `body` as JSON with `status`. */
export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string | string[]> = {},
): void {
  const payload = JSON.stringify(body)
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(payload),
    'cache-control': 'no-store',
    ...headers,
  })
  response.end(payload)
}

/** Sends an {@link HttpError}. */
export function sendError(response: ServerResponse, error: HttpError): void {
  sendJson(response, error.status, { error: error.code, message: error.message }, error.headers)
}

/** Reads and parses a JSON object body. */
export async function readJsonBody(
  request: IncomingMessage,
  maxBytes: number = MAX_JSON_BODY_BYTES,
): Promise<Record<string, unknown>> {
  const type = request.headers['content-type'] ?? ''
  if (!type.toLowerCase().startsWith('application/json')) {
    throw new HttpError(415, 'unsupported-media-type', 'Send the body as application/json.')
  }
  const declared = Number(request.headers['content-length'] ?? 0)
  if (declared > maxBytes) {
    throw new HttpError(413, 'payload-too-large', `The body is larger than ${maxBytes} bytes.`)
  }
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of request) {
    const buffer = chunk as Buffer
    size += buffer.byteLength
    if (size > maxBytes) {
      throw new HttpError(413, 'payload-too-large', `The body is larger than ${maxBytes} bytes.`)
    }
    chunks.push(buffer)
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(Buffer.concat(chunks).toString('utf8'))
  } catch {
    throw new HttpError(400, 'invalid-json', 'The body is not valid JSON.')
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new HttpError(400, 'invalid-body', 'The body must be a JSON object.')
  }
  return parsed as Record<string, unknown>
}

/** A required non-empty string field of a body, or 400. */
export function requireString(
  body: Record<string, unknown>,
  field: string,
  maxLength = 1000,
): string {
  const value = body[field]
  if (typeof value !== 'string' || value.length === 0) {
    throw new HttpError(400, 'invalid-body', `"${field}" must be a non-empty string.`)
  }
  if (value.length > maxLength) {
    throw new HttpError(400, 'invalid-body', `"${field}" must be at most ${maxLength} characters.`)
  }
  return value
}
