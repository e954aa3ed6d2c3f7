/**
 * What one HTTP route is, as data: its method and path (the key `"METHOD /path"`), what it takes
 * (path parameters, query, body) and what it answers, each a TypeBox schema. The route table
 * (`routes.ts`) holds one per route; the server registers and validates from it, the OpenAPI
 * document is generated from it, and the client takes its types from it. This file holds only
 * types and one small function, so the client can use it without bundling TypeBox.
 */
import type { Static, TSchema } from 'typebox'

/** The HTTP methods the API uses. */
export type RouteMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE'

/** Who may call a route (documentation; the server's authorization policy decides). */
export type RouteAudience =
  | 'anyone'
  | 'signed-in'
  | 'organizer'
  | 'member'
  | 'table'
  | 'mediator'
  | 'party-lead'

/** One route. */
export interface RouteSpec {
  /** One line for the reference page. */
  summary: string
  /** More words: rules, defaults, what each error means. Markdown. */
  description?: string
  /** Groups on the reference page. */
  tags: readonly string[]
  /** Who may call it. */
  audience: RouteAudience
  params?: TSchema
  querystring?: TSchema
  body?: TSchema
  /** Largest body accepted, in bytes, when not MAX_JSON_BODY_BYTES. */
  bodyLimit?: number
  /** Every answer by status: JSON schemas; for a download, the 200 entry describes the file. */
  response: { [status: number]: TSchema }
  /** Content types of a download's 200 answer (the route answers a file, not JSON). */
  produces?: readonly string[]
}

/** A route table: `"METHOD /path"` to its spec. */
export type RouteTable = Record<`${RouteMethod} /${string}`, RouteSpec>

type StaticOr<S, Fallback> = S extends TSchema ? Static<S> : Fallback

/** The path parameters of a route. */
export type RouteParams<R extends RouteSpec> = StaticOr<R['params'], Record<string, never>>
/** The query of a route. */
export type RouteQuery<R extends RouteSpec> = StaticOr<R['querystring'], Record<string, never>>
/** The body of a route (undefined for none). */
export type RouteBody<R extends RouteSpec> = StaticOr<R['body'], undefined>
/** The successful JSON answer of a route (its 200 or 201 answer). */
export type RouteReply<R extends RouteSpec> = R['response'] extends { 201: infer S }
  ? StaticOr<S, never>
  : R['response'] extends { 200: infer S }
    ? StaticOr<S, never>
    : never

/**
 * Fills `:name` segments of `template` with `params`, each percent-encoded. Throws a RangeError
 * for a parameter that is missing.
 */
export function routePath(template: string, params: Record<string, string | number>): string {
  return template.replace(/:([A-Za-z]+)/g, (_, name: string) => {
    const value = params[name]
    if (value === undefined) throw new RangeError(`missing path parameter ${name}`)
    return encodeURIComponent(String(value))
  })
}
