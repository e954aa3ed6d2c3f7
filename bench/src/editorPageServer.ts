/**
 * Builds the grouping benchmark's editor page (`bench/src/editorPage/`, bundled by Vite into a
 * temporary directory) and serves it on a port of loopback, for as long as the benchmark needs it.
 */
import fs from 'node:fs'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import { build } from 'vite'

/** A served copy of the page. */
export interface EditorPage {
  /** The page's address, without a query. */
  url: string
  /** Stops serving and removes the built files. */
  close(): Promise<void>
}

const PAGE_ROOT = path.resolve(import.meta.dirname, 'editorPage')

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
}

/** Bundles the page and serves it; `close` when done. */
export async function serveEditorPage(): Promise<EditorPage> {
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'onetext-editor-page-'))
  await build({
    root: PAGE_ROOT,
    base: './',
    logLevel: 'warn',
    configFile: false,
    build: { outDir, emptyOutDir: true, chunkSizeWarningLimit: 2000 },
  })
  const server = http.createServer((request, response) => {
    const pathname = new URL(request.url ?? '/', 'http://localhost').pathname
    const file = path.join(outDir, pathname === '/' ? 'index.html' : path.normalize(pathname))
    if (!file.startsWith(outDir) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
      response.statusCode = 404
      response.end()
      return
    }
    response.setHeader('content-type', TYPES[path.extname(file)] ?? 'application/octet-stream')
    response.end(fs.readFileSync(file))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('no port to serve on')
  return {
    url: `http://127.0.0.1:${address.port}/index.html`,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()))
      fs.rmSync(outDir, { recursive: true, force: true })
    },
  }
}
