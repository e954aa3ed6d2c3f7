/**
 * A small method + path router for the HTTP API. Patterns use `:name` segments; handlers receive
 * the decoded parameters. Unknown paths get 404, known paths with another method 405.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { HttpError } from './json'

/** What a route handler receives. */
export interface RouteContext {
  request: IncomingMessage
  response: ServerResponse
  url: URL
  params: Record<string, string>
}

/** A route handler; it answers through `context.response` or throws an HttpError. */
export type RouteHandler = (context: RouteContext) => Promise<void>

interface Route {
  method: string
  pattern: RegExp
  names: string[]
  handler: RouteHandler
}

export class Router {
  private readonly routes: Route[] = []

  /** Adds a route, e.g. `add('GET', '/api/negotiations/:id', handler)`. */
  add(method: string, path: string, handler: RouteHandler): this {
    const names: string[] = []
    const source = path
      .split('/')
      .map((segment) => {
        if (!segment.startsWith(':')) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
        names.push(segment.slice(1))
        return '([^/]+)'
      })
      .join('/')
    this.routes.push({ method, pattern: new RegExp(`^${source}$`), names, handler })
    return this
  }

  /** Finds the handler for a request, or throws 404/405. */
  match(
    method: string,
    pathname: string,
  ): { handler: RouteHandler; params: Record<string, string> } {
    let pathMatched = false
    for (const route of this.routes) {
      const match = route.pattern.exec(pathname)
      if (!match) continue
      pathMatched = true
      if (route.method !== method) continue
      const params: Record<string, string> = {}
      route.names.forEach((name, index) => {
        params[name] = decodeURIComponent(match[index + 1] ?? '')
      })
      return { handler: route.handler, params }
    }
    if (pathMatched)
      throw new HttpError(405, 'method-not-allowed', `${method} is not allowed here.`)
    throw new HttpError(404, 'not-found', 'No such endpoint.')
  }
}
