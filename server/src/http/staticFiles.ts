/**
 * Serves the built client (@fastify/static): the brotli or gzip copy the build wrote beside a file
 * when the browser accepts it, ETag and Last-Modified with 304 answers, hashed assets cached for a
 * year and everything else revalidated; `.map` files only with SOURCE_MAPS=1. Paths that are not
 * files get index.html (the client's own routes), except under /assets/ and /api/.
 */
import fastifyStatic from '@fastify/static'
import type { FastifyInstance, FastifyReply } from 'fastify'

/** Headers every answer gets. */
export const SECURITY_HEADERS: Record<string, string> = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'content-security-policy':
    "default-src 'self'; connect-src 'self' ws: wss:; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'",
}

/** Registers the client's files from `root`; `sourceMaps` serves `.map` files too. */
export async function addStaticFiles(
  app: FastifyInstance,
  root: string,
  sourceMaps: boolean,
): Promise<void> {
  await app.register(fastifyStatic, {
    root,
    prefix: '/',
    preCompressed: true,
    etag: true,
    lastModified: true,
    cacheControl: false,
    dotfiles: 'deny',
    index: ['index.html'],
    allowedPath: (pathName) => sourceMaps || !/\.map(\.br|\.gz)?$/.test(pathName),
    setHeaders: (reply, filePath) => {
      const hashed = /[/\\]assets[/\\]/.test(filePath)
      reply.header('cache-control', hashed ? 'public, max-age=31536000, immutable' : 'no-cache')
    },
  })
}

/** True when `path` may be answered with the client's index.html (a client route). */
export function isClientRoute(path: string): boolean {
  return !path.startsWith('/api/') && !path.startsWith('/assets/') && !/\.map$/.test(path)
}

/** Answers the client's index.html, revalidated on every load. */
export function sendIndex(reply: FastifyReply): FastifyReply {
  return reply.header('cache-control', 'no-cache').sendFile('index.html')
}
