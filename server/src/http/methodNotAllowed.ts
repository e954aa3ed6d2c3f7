/**
 * Which methods a path has routes for, so that a request with another method answers 405 with an
 * `Allow` header instead of 404. Fastify's router answers 404 for both; this keeps a second
 * find-my-way router (the one Fastify uses) with every API route.
 */
import FindMyWay, { type HTTPVersion } from 'find-my-way'

export class RouteMethods {
  private readonly router = FindMyWay<HTTPVersion.V1>()
  private readonly methods = new Set<string>()

  /** Adds a route. */
  add(method: string, url: string): void {
    this.methods.add(method)
    this.router.on(method as 'GET', url, () => {})
  }

  /** The methods `path` has routes for (empty when none); HEAD comes with GET. */
  allowed(path: string): string[] {
    const allowed: string[] = []
    for (const method of this.methods) {
      if (this.router.find(method as 'GET', path)) allowed.push(method)
    }
    return allowed.sort()
  }
}
