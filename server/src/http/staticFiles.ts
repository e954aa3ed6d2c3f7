/**
 * Serves the built client from its folder: hashed assets with a year's cache, everything else
 * without, and index.html for any other path so that the client's routes work on reload.
 */
import fs from 'node:fs'
import type { ServerResponse } from 'node:http'
import path from 'node:path'

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
}

/** Headers every page gets. */
export const SECURITY_HEADERS: Record<string, string> = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'content-security-policy':
    "default-src 'self'; connect-src 'self' ws: wss:; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'",
}

/** Serves `pathname` from `root`; returns false if there is no client to serve. */
export function serveStatic(root: string, pathname: string, response: ServerResponse): boolean {
  let relative: string
  try {
    relative = decodeURIComponent(pathname)
  } catch {
    relative = '/'
  }
  const resolved = path.resolve(root, `.${path.posix.normalize(relative)}`)
  const inside = resolved === root || resolved.startsWith(root + path.sep)
  let file = inside ? resolved : path.join(root, 'index.html')
  let stat = fs.statSync(file, { throwIfNoEntry: false })
  if (!stat?.isFile()) {
    file = path.join(root, 'index.html')
    stat = fs.statSync(file, { throwIfNoEntry: false })
    if (!stat?.isFile()) return false
  }
  const hashed = file.includes(`${path.sep}assets${path.sep}`)
  response.writeHead(200, {
    'content-type': CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream',
    'content-length': stat.size,
    'cache-control': hashed ? 'public, max-age=31536000, immutable' : 'no-cache',
    ...SECURITY_HEADERS,
  })
  fs.createReadStream(file).pipe(response)
  return true
}
